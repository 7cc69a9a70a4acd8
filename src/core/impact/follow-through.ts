import type { Actor } from '../accounts/roles.js';
import type { Need } from '../needs/types.js';
import type { Clock } from '../shared/clock.js';
import type { NeedId } from '../shared/ids.js';
import type { BriefingId } from '../briefings/types.js';
import { activityKindForNeed, type Activities } from '../activities/activities.js';
import { londonDate } from '../dashboard/calendar.js';
import type { Followups } from './followups.js';

/**
 * What a need or an output moving on sets going: activities logged automatically and follow-ups
 * scheduled. The composition root calls these after the use case has committed.
 */
export const createFollowThrough = ({ followups, activities, clock }: { followups: Pick<Followups, 'schedule' | 'scheduleForNeed'>; activities: Pick<Activities, 'logAutomatic'>; clock: Clock }) => ({
  /** A need accepted at triage: an activity of its first kind of support, for the fellow who accepted it. */
  needTriaged: async (actor: Actor, need: Need): Promise<void> => {
    if (need.status !== 'triaged') {
      return;
    }
    await activities.logAutomatic({ kind: activityKindForNeed(need), title: `Accepted ${need.reference}: ${need.title}`, fellowId: actor.userId, needId: need.id });
  },

  /**
   * A need marked delivered by hand (work with no written output, like a partnership): follow-ups,
   * unless it has some already, and an activity of its first kind of support.
   */
  needDelivered: async (actor: Actor, need: Need): Promise<void> => {
    await followups.scheduleForNeed({ needId: need.id, deliveredAt: clock.now() });
    await activities.logAutomatic({ kind: activityKindForNeed(need), title: `Delivered ${need.reference}: ${need.title}`, fellowId: actor.userId, needId: need.id });
  },

  /**
   * An output delivered: follow-ups at the configured months (when it answers a need) and a
   * 'briefing' activity for the fellow who delivered it.
   */
  outputDelivered: async (
    actor: Actor,
    output: { needId: NeedId | undefined; briefing: { id: BriefingId; reference: string; title: string }; deliveredAt: Date; recipientEmail?: string | undefined },
  ): Promise<void> => {
    if (output.needId) {
      await followups.schedule({ needId: output.needId, briefingId: output.briefing.id, deliveredAt: output.deliveredAt, recipientEmail: output.recipientEmail });
    }
    await activities.logAutomatic({
      kind: 'briefing',
      title: `Delivered ${output.briefing.reference}: ${output.briefing.title}`,
      fellowId: actor.userId,
      needId: output.needId,
      briefingId: output.briefing.id,
      occurredOn: londonDate(output.deliveredAt),
    });
  },
});

export type FollowThrough = ReturnType<typeof createFollowThrough>;
