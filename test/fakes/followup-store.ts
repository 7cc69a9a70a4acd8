import { randomUUID } from 'node:crypto';
import type { BriefingId } from '../../src/core/briefings/types.js';
import type { FollowupStore, NewImpactRecord } from '../../src/core/impact/ports.js';
import type { Followup, FollowupId, ImpactRecordId } from '../../src/core/impact/types.js';
import type { NeedId, UserId } from '../../src/core/shared/ids.js';

interface NeedSeed {
  id: NeedId;
  reference: string;
  title: string;
  requester?: { name: string; email: string };
  fellows?: { id: UserId; name: string }[];
}

interface Row {
  followup: Followup;
  tokenSha256: string;
}

/** An in-memory FollowupStore with the repository's contract (claims, adoption, one answer). */
export const createMemoryFollowupStore = (seed: { needs: NeedSeed[]; briefings?: { id: BriefingId; reference: string; title: string; authorId: UserId }[] }) => {
  const needs = new Map(seed.needs.map((need) => [need.id, need]));
  const briefings = new Map((seed.briefings ?? []).map((briefing) => [briefing.id, briefing]));
  const rows: Row[] = [];
  const records: (NewImpactRecord & { id: ImpactRecordId })[] = [];
  const copy = (row: Row): Followup => ({ ...row.followup });

  const store: FollowupStore = {
    schedule: async (input) => {
      const need = needs.get(input.needId);
      if (!need) {
        throw new Error('foreign key: no such need');
      }
      if (input.briefingId) {
        for (const row of rows) {
          const taken = rows.some((other) => other.followup.need.id === input.needId && other.followup.briefing?.id === input.briefingId && other.followup.months === row.followup.months);
          if (row.followup.need.id === input.needId && !row.followup.briefing && !row.followup.sentAt && !taken) {
            const briefing = briefings.get(input.briefingId);
            row.followup.briefing = briefing && { id: briefing.id, reference: briefing.reference, title: briefing.title };
            row.followup.recipientEmail ??= input.recipientEmail;
          }
        }
      }
      const added: Followup[] = [];
      for (const item of input.items) {
        if (rows.some((row) => row.followup.need.id === input.needId && row.followup.briefing?.id === input.briefingId && row.followup.months === item.months)) {
          continue;
        }
        const briefing = input.briefingId ? briefings.get(input.briefingId) : undefined;
        const followup: Followup = {
          id: randomUUID() as FollowupId,
          need: { id: need.id, reference: need.reference, title: need.title },
          briefing: briefing && { id: briefing.id, reference: briefing.reference, title: briefing.title },
          months: item.months,
          dueOn: item.dueOn,
          recipientEmail: input.recipientEmail,
          recipientName: need.requester?.name,
          sentAt: undefined,
          sentVia: undefined,
          answeredAt: undefined,
          fellows: need.fellows ?? [],
          createdAt: new Date(0),
        };
        rows.push({ followup, tokenSha256: item.tokenSha256 });
        added.push({ ...followup });
      }
      return added;
    },
    countForNeed: async (needId) => rows.filter((row) => row.followup.need.id === needId).length,
    requesterEmail: async (needId) => needs.get(needId)?.requester?.email,
    find: async (id) => {
      const row = rows.find((candidate) => candidate.followup.id === id);
      return row && copy(row);
    },
    findByTokenHash: async (hash) => {
      const row = rows.find((candidate) => candidate.tokenSha256 === hash);
      return row && copy(row);
    },
    list: async (state, today, limit) =>
      rows
        .filter(({ followup }) =>
          state === 'due'
            ? !followup.sentAt && followup.dueOn <= today
            : state === 'upcoming'
              ? !followup.sentAt && followup.dueOn > today
              : state === 'awaiting'
                ? followup.sentAt && !followup.answeredAt
                : followup.answeredAt,
        )
        .sort((left, right) => left.followup.dueOn.localeCompare(right.followup.dueOn))
        .slice(0, limit)
        .map(copy),
    claim: async (input) => {
      const row = rows.find((candidate) => candidate.followup.id === input.id);
      if (!row || row.followup.answeredAt || (input.onlyUnsent && row.followup.sentAt)) {
        return false;
      }
      row.tokenSha256 = input.tokenSha256;
      row.followup.sentAt = input.at;
      row.followup.sentVia = input.via;
      return true;
    },
    release: async (id) => {
      const row = rows.find((candidate) => candidate.followup.id === id);
      if (row && !row.followup.answeredAt) {
        row.followup.sentAt = undefined;
        row.followup.sentVia = undefined;
      }
    },
    fellowsOf: async (needId, briefingId) => {
      const ids = new Set<UserId>((needs.get(needId)?.fellows ?? []).map((fellow) => fellow.id));
      const author = briefingId ? briefings.get(briefingId)?.authorId : undefined;
      if (author) {
        ids.add(author);
      }
      return [...ids];
    },
    answer: async (id, record, at) => {
      const row = rows.find((candidate) => candidate.followup.id === id);
      if (!row || row.followup.answeredAt) {
        return undefined;
      }
      row.followup.answeredAt = at;
      const recordId = randomUUID() as ImpactRecordId;
      records.push({ ...record, id: recordId });
      return recordId;
    },
  };
  return { store, rows, records };
};
