import { AppError, assertThat, type FieldErrors } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import type { NeedId, OrganisationId, ThemeId, UserId } from '../shared/ids.js';
import { isStaff, type Actor } from '../accounts/roles.js';
import type { CommentInput, NeedFilter, NeedInput } from './need.schema.js';
import { canCommentOnNeed, canEditNeed, canViewNeed, needVisibilityFor } from './permissions.js';
import type { NeedEventPublisher, NeedStore, NewNeed } from './ports.js';
import type { Comment, Need, NeedEvent } from './types.js';

export interface NeedsDeps {
  store: NeedStore;
  clock: Clock;
  publisher: NeedEventPublisher;
}

const todayOn = (clock: Clock): string => clock.now().toISOString().slice(0, 10);

/** Loads a need the actor may see: 404 when it does not exist, 403 when it is not theirs to see. */
export const loadVisibleNeed = async (store: NeedStore, actor: Actor, id: NeedId): Promise<Need> => {
  const need = await store.findNeed(id);
  assertThat(need, 'need.not_found', 'No such need');
  assertThat(canViewNeed(actor, need), 'auth.forbidden', 'You do not have access to this need');
  return need;
};

/** Use cases for posting, editing, reading and discussing needs. Triage lives in triage.ts. */
export const createNeeds = ({ store, clock, publisher }: NeedsDeps) => {
  /** Checks references the schema cannot: dates, organisation, themes, requester. */
  const resolveInput = async (actor: Actor, input: NeedInput): Promise<Omit<NewNeed, 'createdById'>> => {
    const fields: FieldErrors = {};
    if (input.deadlineOn !== undefined && input.deadlineOn < todayOn(clock)) {
      fields.deadlineOn = 'Deadline must be today or in the future';
    }
    let organisationId = input.organisationId as OrganisationId | undefined;
    let requesterId = actor.userId;
    if (isStaff(actor.role)) {
      if (input.requesterId) {
        const [requester] = await store.findAccounts([input.requesterId as UserId]);
        if (requester) {
          requesterId = requester.id;
          organisationId ??= requester.organisationId;
        } else {
          fields.requesterId = 'No such account';
        }
      }
      if (organisationId === undefined && !input.requesterId) {
        organisationId = actor.organisationId;
      }
    } else {
      // Requesters always ask for their own organisation.
      organisationId = actor.organisationId;
    }
    if (organisationId !== undefined && !(await store.organisationExists(organisationId))) {
      fields.organisationId = 'Choose an organisation from the list';
    }
    const themeIds = [...new Set(input.themeIds)] as ThemeId[];
    if ((await store.countThemes(themeIds)) !== themeIds.length) {
      fields.themeIds = 'Choose themes from the list';
    }
    if (Object.keys(fields).length > 0) {
      throw new AppError('validation.failed', 'Some answers need correcting', { fields });
    }
    return {
      title: input.title,
      question: input.question,
      decision: input.decision,
      decisionMaker: input.decisionMaker,
      population: input.population,
      setting: input.setting,
      triedSoFar: input.triedSoFar,
      deadlineOn: input.deadlineOn,
      urgency: input.urgency,
      audiences: [...new Set(input.audiences)],
      organisationId,
      themeIds,
      isPublic: input.isPublic,
      shareWithArcs: input.shareWithArcs,
      requesterId,
    };
  };

  /** A requester (or a fellow on their behalf) posts a need; it starts as submitted. */
  const submitNeed = async (actor: Actor, input: NeedInput): Promise<Need> => {
    const resolved = await resolveInput(actor, input);
    const id = await store.transaction(async (tx) => {
      const needId = await tx.insertNeed({ ...resolved, createdById: actor.userId });
      await tx.appendEvent({ needId, kind: 'submitted', actorId: actor.userId, toStatus: 'submitted' });
      return needId;
    });
    const need = await store.findNeed(id);
    assertThat(need, 'need.not_found');
    return need;
  };

  const editNeed = async (actor: Actor, id: NeedId, input: NeedInput): Promise<Need> => {
    const need = await loadVisibleNeed(store, actor, id);
    assertThat(canEditNeed(actor, need), 'auth.forbidden', 'This need can no longer be edited by you');
    const { requesterId: _requester, ...fields } = await resolveInput(actor, {
      ...input,
      organisationId: input.organisationId ?? need.organisationId,
    });
    const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter(
      (key) => JSON.stringify(fields[key]) !== JSON.stringify(key === 'themeIds' ? need.themes.map((theme) => theme.id) : need[key]),
    );
    await store.transaction(async (tx) => {
      await tx.updateNeedFields(id, fields);
      await tx.appendEvent({ needId: id, kind: 'edited', actorId: actor.userId, detail: { fields: changed } });
    });
    const updated = await store.findNeed(id);
    assertThat(updated, 'need.not_found');
    return updated;
  };

  const getNeed = (actor: Actor, id: NeedId): Promise<Need> => loadVisibleNeed(store, actor, id);

  /** Lists the needs the actor may see; visibility is applied inside the query. */
  const listNeeds = (actor: Actor, filter: NeedFilter) => store.listNeeds(needVisibilityFor(actor), filter, actor.userId);

  const listHistory = async (actor: Actor, id: NeedId): Promise<NeedEvent[]> => {
    await loadVisibleNeed(store, actor, id);
    return store.listEvents(id);
  };

  /** The dialogue thread; internal notes only for staff. */
  const listComments = async (actor: Actor, id: NeedId): Promise<Comment[]> => {
    await loadVisibleNeed(store, actor, id);
    return store.listComments(id, isStaff(actor.role));
  };

  const addComment = async (actor: Actor, id: NeedId, input: CommentInput): Promise<Comment> => {
    const need = await loadVisibleNeed(store, actor, id);
    assertThat(canCommentOnNeed(actor, need), 'auth.forbidden', 'Only the requester and fellows take part in this thread');
    assertThat(!input.isInternal || isStaff(actor.role), 'auth.forbidden', 'Only staff write internal notes');
    const comment = await store.insertComment({ needId: id, authorId: actor.userId, body: input.body, isInternal: input.isInternal });
    publisher.publish({ type: 'comment', needId: id, comment });
    return comment;
  };

  return { submitNeed, editNeed, getNeed, listNeeds, listHistory, listComments, addComment };
};

export type Needs = ReturnType<typeof createNeeds>;
