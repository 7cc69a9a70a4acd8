import { isStaff, type Actor } from '../accounts/roles.js';
import { AppError, assertThat, type FieldErrors } from '../shared/errors.js';
import type { NeedId, UserId } from '../shared/ids.js';
import type { BriefingId } from '../briefings/types.js';
import type { ImpactFilter, ImpactInput, Reclassify } from './impact.schema.js';
import type { FollowupStore, ImpactStore } from './ports.js';
import type { ImpactRecord, ImpactRecordId } from './types.js';

const assertStaff = (actor: Actor) => assertThat(isStaff(actor.role), 'auth.forbidden', 'Only fellows, leads and administrators see and log impact');

/** Impact records: listed and reclassified by staff, or logged by hand (issue #6, item 5). */
export const createImpact = ({ store, followups }: { store: ImpactStore; followups: Pick<FollowupStore, 'fellowsOf'> }) => {
  const list = async (actor: Actor, filter: ImpactFilter): Promise<{ records: ImpactRecord[]; total: number }> => {
    assertStaff(actor);
    return store.list(filter);
  };

  const get = async (actor: Actor, id: ImpactRecordId): Promise<ImpactRecord> => {
    assertStaff(actor);
    const record = await store.find(id);
    assertThat(record, 'impact.not_found', 'No such impact record');
    return record;
  };

  /** A fellow logs what difference the work made, heard some other way than the follow-up form. */
  const log = async (actor: Actor, input: ImpactInput): Promise<ImpactRecord> => {
    assertStaff(actor);
    const needId = input.needId as NeedId;
    const briefingId = input.briefingId as BriefingId | undefined;
    const fields: FieldErrors = {};
    const found = await store.references(needId, briefingId);
    if (!found.need) {
      fields.needId = 'Choose a need from the list';
    }
    if (briefingId && !found.briefing) {
      fields.briefingId = 'Choose an output of this need';
    }
    const named = [...new Set(input.fellowIds)] as UserId[];
    if (named.length > 0 && (await store.staffAmong(named)).length !== named.length) {
      fields.fellowIds = 'Choose fellows from the list';
    }
    if (Object.keys(fields).length > 0) {
      throw new AppError('validation.failed', 'Some answers need correcting', { fields });
    }
    const fellowIds = named.length > 0 ? named : [...new Set([...(await followups.fellowsOf(needId, briefingId)), actor.userId])];
    const id = await store.insert({
      needId,
      briefingId,
      followupId: undefined,
      kinds: input.kinds,
      uses: input.uses,
      detail: input.detail,
      notUsedReason: input.uses.includes('not_used') ? input.notUsedReason : undefined,
      fellowIds,
      recordedById: actor.userId,
    });
    return get(actor, id);
  };

  /** A fellow's own reading replaces the kinds the answer was mapped to. */
  const reclassify = async (actor: Actor, id: ImpactRecordId, input: Reclassify): Promise<ImpactRecord> => {
    assertStaff(actor);
    assertThat(await store.setKinds(id, [...new Set(input.kinds)]), 'impact.not_found', 'No such impact record');
    return get(actor, id);
  };

  return { list, get, log, reclassify };
};

export type Impact = ReturnType<typeof createImpact>;
