import { AppError, assertThat } from '../shared/errors.js';
import type { NeedId, UserId } from '../shared/ids.js';
import { isStaff, type Actor } from '../accounts/roles.js';
import type { StatusChange, TriageInput } from './need.schema.js';
import { loadVisibleNeed, type NeedsDeps } from './needs.js';
import { canTriageNeed } from './permissions.js';
import type { NeedStore } from './ports.js';
import { canMove } from './status.js';
import type { Need, NeedEvent, NeedStatus } from './types.js';

/** Use cases for fellows: triage (accept, decline, merge), assignment and moving a need on. */
export const createTriage = ({ store, publisher }: Omit<NeedsDeps, 'clock'>) => {
  const assertMove = (need: Need, to: NeedStatus): void => {
    if (!canMove(need.status, to)) {
      throw new AppError('need.invalid_transition', `A ${need.status} need cannot become ${to}`, { from: need.status, to });
    }
  };

  const assertStaffAccounts = async (tx: NeedStore, ids: UserId[]): Promise<void> => {
    const accounts = await tx.findAccounts(ids);
    const staff = new Set(accounts.filter((account) => isStaff(account.role)).map((account) => account.id));
    const notStaff = ids.filter((id) => !staff.has(id));
    if (notStaff.length > 0) {
      throw new AppError('need.assignee_not_staff', 'Only fellows, leads and administrators can be assigned', {
        fields: { fellowIds: 'Choose fellows from the list' },
        userIds: notStaff,
      });
    }
  };

  const announce = (need: Need, events: NeedEvent[]): void => {
    for (const event of events) {
      publisher.publish(
        event.toStatus && event.toStatus !== event.fromStatus
          ? { type: 'status', needId: need.id, status: event.toStatus, event }
          : { type: 'history', needId: need.id, event },
      );
    }
  };

  const reload = async (id: NeedId): Promise<Need> => {
    const need = await store.findNeed(id);
    assertThat(need, 'need.not_found');
    return need;
  };

  /** Accept with a tier and kinds of support, decline with a reason, or merge into a duplicate. */
  const triageNeed = async (actor: Actor, id: NeedId, input: TriageInput): Promise<Need> => {
    assertThat(canTriageNeed(actor), 'auth.forbidden', 'Only fellows, leads and administrators triage needs');
    const need = await loadVisibleNeed(store, actor, id);
    const events = await store.transaction(async (tx): Promise<NeedEvent[]> => {
      switch (input.action) {
        case 'accept': {
          assertMove(need, 'triaged');
          const fellowIds = [...new Set(input.fellowIds)] as UserId[];
          await assertStaffAccounts(tx, fellowIds);
          await tx.patchNeed(id, { status: 'triaged', tier: input.tier, supportKinds: [...new Set(input.supportKinds)] });
          const triaged = await tx.appendEvent({
            needId: id,
            kind: 'triaged',
            actorId: actor.userId,
            fromStatus: need.status,
            toStatus: 'triaged',
            detail: { tier: input.tier, supportKinds: input.supportKinds },
          });
          const added = await tx.addFellows(id, fellowIds, actor.userId);
          const assigned = added.length > 0 ? [await tx.appendEvent({ needId: id, kind: 'assigned', actorId: actor.userId, detail: { userIds: added } })] : [];
          return [triaged, ...assigned];
        }
        case 'decline': {
          assertMove(need, 'closed');
          await tx.patchNeed(id, { status: 'closed', resolution: 'declined', declineReason: input.reason });
          return [
            await tx.appendEvent({ needId: id, kind: 'declined', actorId: actor.userId, fromStatus: need.status, toStatus: 'closed', detail: { reason: input.reason } }),
          ];
        }
        case 'merge': {
          assertMove(need, 'closed');
          const targetId = input.targetId as NeedId;
          const target = await tx.findNeed(targetId);
          assertThat(target && target.id !== id && target.status !== 'closed', 'need.merge_target_invalid', 'Merge into another open need', {
            fields: { targetId: 'Choose another need that is still open' },
          });
          await tx.patchNeed(id, { status: 'closed', resolution: 'merged', mergedIntoId: targetId });
          await tx.appendEvent({ needId: targetId, kind: 'merged', actorId: actor.userId, detail: { fromId: id, fromReference: need.reference } });
          return [
            await tx.appendEvent({ needId: id, kind: 'merged', actorId: actor.userId, fromStatus: need.status, toStatus: 'closed', detail: { intoId: targetId, intoReference: target.reference } }),
          ];
        }
      }
    });
    const updated = await reload(id);
    announce(updated, events);
    return updated;
  };

  const assignFellows = async (actor: Actor, id: NeedId, fellowIds: string[]): Promise<Need> => {
    assertThat(canTriageNeed(actor), 'auth.forbidden', 'Only fellows, leads and administrators assign needs');
    await loadVisibleNeed(store, actor, id);
    const ids = [...new Set(fellowIds)] as UserId[];
    const events = await store.transaction(async (tx) => {
      await assertStaffAccounts(tx, ids);
      const added = await tx.addFellows(id, ids, actor.userId);
      return added.length > 0 ? [await tx.appendEvent({ needId: id, kind: 'assigned', actorId: actor.userId, detail: { userIds: added } })] : [];
    });
    const updated = await reload(id);
    announce(updated, events);
    return updated;
  };

  /** Moves a triaged need on: in progress, delivered, closed (completed), or reopened. */
  const changeStatus = async (actor: Actor, id: NeedId, input: StatusChange): Promise<Need> => {
    assertThat(canTriageNeed(actor), 'auth.forbidden', 'Only fellows, leads and administrators change the status');
    const need = await loadVisibleNeed(store, actor, id);
    assertMove(need, input.status);
    const event = await store.transaction(async (tx) => {
      await tx.patchNeed(id, input.status === 'closed' ? { status: 'closed', resolution: 'completed' } : { status: input.status });
      return tx.appendEvent({
        needId: id,
        kind: 'status_changed',
        actorId: actor.userId,
        fromStatus: need.status,
        toStatus: input.status,
        detail: input.note ? { note: input.note } : {},
      });
    });
    const updated = await reload(id);
    announce(updated, [event]);
    return updated;
  };

  return { triageNeed, assignFellows, changeStatus };
};

export type Triage = ReturnType<typeof createTriage>;
