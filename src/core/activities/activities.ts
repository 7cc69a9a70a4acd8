import { isStaff, type Actor } from '../accounts/roles.js';
import type { Need } from '../needs/types.js';
import type { Clock } from '../shared/clock.js';
import { AppError, assertThat, type FieldErrors } from '../shared/errors.js';
import type { NeedId, OrganisationId, ThemeId } from '../shared/ids.js';
import { londonDate } from '../dashboard/calendar.js';
import type { ActivityFilter, ActivityInput } from './activity.schema.js';
import type { ActivityStore } from './ports.js';
import type { Activity, ActivityId, ActivityKind, AutomaticActivity } from './types.js';

const assertStaff = (actor: Actor) => assertThat(isStaff(actor.role), 'auth.forbidden', 'Only fellows, leads and administrators log activities');

/** The kind of activity a need's work counts as: its first kind of support, else an evidence review. */
export const activityKindForNeed = (need: Pick<Need, 'supportKinds'>): ActivityKind => need.supportKinds[0] ?? 'evidence_review';

/** Activities (issue #6, item 6): fellows log theirs; needs and outputs log theirs automatically. */
export const createActivities = ({ store, clock }: { store: ActivityStore; clock: Clock }) => {
  const get = async (actor: Actor, id: ActivityId): Promise<Activity> => {
    assertStaff(actor);
    const activity = await store.find(id);
    assertThat(activity, 'activity.not_found', 'No such activity');
    return activity;
  };

  /** A fellow logs something they did (for themselves). */
  const log = async (actor: Actor, input: ActivityInput): Promise<Activity> => {
    assertStaff(actor);
    const refs = {
      organisationId: input.organisationId as OrganisationId | undefined,
      themeId: input.themeId as ThemeId | undefined,
      needId: input.needId as NeedId | undefined,
    };
    const found = await store.references(refs);
    const fields: FieldErrors = {};
    if (input.occurredOn > londonDate(clock.now())) {
      fields.occurredOn = 'The date cannot be in the future';
    }
    if (refs.organisationId && !found.organisation) {
      fields.organisationId = 'Choose a partner organisation from the list';
    }
    if (refs.themeId && !found.theme) {
      fields.themeId = 'Choose a theme from the list';
    }
    if (refs.needId && !found.need) {
      fields.needId = 'Choose a need from the list';
    }
    if (Object.keys(fields).length > 0) {
      throw new AppError('validation.failed', 'Some answers need correcting', { fields });
    }
    const id = await store.insert({ ...refs, kind: input.kind, title: input.title, occurredOn: input.occurredOn, hours: input.hours, briefingId: undefined, fellowId: actor.userId, notes: input.notes });
    return get(actor, id);
  };

  /** Activities with filters, newest first, with the hours they add up to. */
  const list = async (actor: Actor, filter: ActivityFilter) => {
    assertStaff(actor);
    return store.list(filter);
  };

  /**
   * Logged by the system when a need or an output moves on (no permission check: the caller has
   * made its own). Idempotent, so a retried delivery logs once. Returns the activity's id, or
   * undefined when it was logged already.
   */
  const logAutomatic = (activity: AutomaticActivity): Promise<ActivityId | undefined> =>
    store.insertAutomatic({
      kind: activity.kind,
      title: activity.title.slice(0, 300),
      occurredOn: activity.occurredOn ?? londonDate(clock.now()),
      hours: activity.hours ?? 0,
      organisationId: activity.organisationId,
      themeId: activity.themeId,
      needId: activity.needId,
      briefingId: activity.briefingId,
      fellowId: activity.fellowId,
      notes: activity.notes ?? '',
    });

  return { log, get, list, logAutomatic };
};

export type Activities = ReturnType<typeof createActivities>;
