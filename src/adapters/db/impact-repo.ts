import type { BriefingId } from '../../core/briefings/types.js';
import type { FollowupStore, ImpactStore } from '../../core/impact/ports.js';
import type { Followup, FollowupId, ImpactKind, ImpactRecord, ImpactRecordId, ImpactUse } from '../../core/impact/types.js';
import type { NeedId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface Person {
  id: string;
  name: string;
}

/** The need and (optional) briefing a follow-up or impact record belongs to, as both queries select them. */
interface NeedAndBriefingColumns {
  id: string;
  need_id: string;
  need_reference: string;
  need_title: string;
  briefing_id: string | null;
  briefing_reference: string | null;
  briefing_title: string | null;
}

interface FollowupRow extends NeedAndBriefingColumns {
  months: number;
  due_on: string;
  recipient_email: string | null;
  recipient_name: string | null;
  sent_at: Date | null;
  sent_via: 'smtp' | 'by_hand' | null;
  answered_at: Date | null;
  created_at: Date;
  fellows: Person[];
}

const people = (rows: Person[]) => rows.map((person) => ({ id: person.id as UserId, name: person.name }));

const needOf = (row: NeedAndBriefingColumns) => ({ id: row.need_id as NeedId, reference: row.need_reference, title: row.need_title });

const briefingOf = (row: NeedAndBriefingColumns) =>
  row.briefing_id ? { id: row.briefing_id as BriefingId, reference: row.briefing_reference ?? '', title: row.briefing_title ?? '' } : undefined;

// The CHECK constraints of migrations/0011_briefings.sql guarantee sent_via's values.
const toFollowup = (row: FollowupRow): Followup => ({
  id: row.id as FollowupId,
  need: needOf(row),
  briefing: briefingOf(row),
  months: row.months,
  dueOn: row.due_on,
  recipientEmail: row.recipient_email ?? undefined,
  recipientName: row.recipient_name ?? undefined,
  sentAt: row.sent_at ?? undefined,
  sentVia: row.sent_via ?? undefined,
  answeredAt: row.answered_at ?? undefined,
  fellows: people(row.fellows),
  createdAt: row.created_at,
});

const followupSelect = `
  select f.id, f.need_id, n.reference as need_reference, n.title as need_title, f.briefing_id,
    b.reference as briefing_reference, b.title as briefing_title, f.months, f.due_on, f.recipient_email,
    case when f.recipient_email is null then requester.name else recipient.name end as recipient_name,
    f.sent_at, f.sent_via, f.answered_at, f.created_at,
    coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name)
              from need_fellows nf join users u on u.id = nf.user_id where nf.need_id = f.need_id), '[]') as fellows
  from followups f
  join needs n on n.id = f.need_id
  left join briefings b on b.id = f.briefing_id
  left join users requester on requester.id = n.requester_id
  left join users recipient on lower(recipient.email) = lower(f.recipient_email)`;

const stateQueries = {
  due: { where: 'where f.sent_at is null and f.due_on <= $1::date order by f.due_on, n.reference, f.months limit $2', byDay: true },
  awaiting: { where: 'where f.sent_at is not null and f.answered_at is null order by f.sent_at desc limit $1', byDay: false },
  upcoming: { where: 'where f.sent_at is null and f.due_on > $1::date order by f.due_on, n.reference, f.months limit $2', byDay: true },
  answered: { where: 'where f.answered_at is not null order by f.answered_at desc limit $1', byDay: false },
} as const;

/** Follow-ups after delivery, in PostgreSQL. */
export const createFollowupsRepo = (sql: Sql): FollowupStore => {
  const findWhere = async (condition: string, value: string) => {
    const [row] = await sql.query<FollowupRow>(`${followupSelect} where ${condition}`, [value]);
    return row ? toFollowup(row) : undefined;
  };

  return {
    async schedule(input) {
      const ids = await sql.transaction(async (tx) => {
        if (input.briefingId) {
          // The need's follow-ups from being marked delivered by hand now follow up this output.
          await tx.query(
            `update followups f set briefing_id = $2, recipient_email = coalesce(f.recipient_email, $3)
             where f.need_id = $1 and f.briefing_id is null and f.sent_at is null
               and not exists (select 1 from followups g where g.need_id = $1 and g.briefing_id = $2 and g.months = f.months)`,
            [input.needId, input.briefingId, input.recipientEmail ?? null],
          );
        }
        const rows = await tx.query<{ id: string }>(
          `insert into followups (need_id, briefing_id, months, due_on, token_sha256, recipient_email)
           select $1::uuid, $2::uuid, item.months, item.due_on, item.token_sha256, $3
           from unnest($4::int[], $5::date[], $6::text[]) as item (months, due_on, token_sha256)
           where not exists (select 1 from followups g where g.need_id = $1::uuid and g.briefing_id is not distinct from $2::uuid and g.months = item.months)
           on conflict do nothing
           returning id`,
          [
            input.needId,
            input.briefingId ?? null,
            input.recipientEmail ?? null,
            input.items.map((item) => item.months),
            input.items.map((item) => item.dueOn),
            input.items.map((item) => item.tokenSha256),
          ],
        );
        return rows.map((row) => row.id);
      });
      if (ids.length === 0) {
        return [];
      }
      const rows = await sql.query<FollowupRow>(`${followupSelect} where f.id = any($1::uuid[]) order by f.months`, [ids]);
      return rows.map(toFollowup);
    },

    async countForNeed(needId) {
      const [row] = await sql.query<{ count: number }>('select count(*) as count from followups where need_id = $1', [needId]);
      return row?.count ?? 0;
    },

    async requesterEmail(needId) {
      const [row] = await sql.query<{ email: string }>('select u.email from needs n join users u on u.id = n.requester_id where n.id = $1', [needId]);
      return row?.email;
    },

    find: (id) => findWhere('f.id = $1', id),

    findByTokenHash: (tokenSha256) => findWhere('f.token_sha256 = $1', tokenSha256),

    async list(state, today, limit) {
      const query = stateQueries[state];
      const rows = await sql.query<FollowupRow>(`${followupSelect} ${query.where}`, query.byDay ? [today, limit] : [limit]);
      return rows.map(toFollowup);
    },

    async claim(input) {
      const rows = await sql.query(
        `update followups set token_sha256 = $2, sent_via = $3, sent_at = $4
         where id = $1 and answered_at is null and (not $5::boolean or sent_at is null) returning 1`,
        [input.id, input.tokenSha256, input.via, input.at, input.onlyUnsent],
      );
      return rows.length > 0;
    },

    async release(id) {
      await sql.query('update followups set sent_at = null, sent_via = null where id = $1 and answered_at is null', [id]);
    },

    async fellowsOf(needId, briefingId) {
      const rows = await sql.query<{ user_id: string }>(
        `select user_id from need_fellows where need_id = $1
         union select created_by_id from briefings where id = $2::uuid`,
        [needId, briefingId ?? null],
      );
      return rows.map((row) => row.user_id as UserId);
    },

    async answer(id, record, at) {
      return sql.transaction(async (tx) => {
        const answered = await tx.query('update followups set answered_at = $2 where id = $1 and answered_at is null returning 1', [id, at]);
        if (answered.length === 0) {
          return undefined;
        }
        return insertRecord(tx, record, at);
      });
    },
  };
};

const insertRecord = async (sql: Sql, record: Parameters<ImpactStore['insert']>[0], at?: Date): Promise<ImpactRecordId> => {
  const [row] = await sql.query<{ id: string }>(
    `insert into impact_records (need_id, briefing_id, followup_id, kinds, uses, detail, not_used_reason, fellow_ids, recorded_by_id, created_at)
     values ($1, $2, $3, $4::text[], $5::text[], $6, $7, $8::uuid[], $9, coalesce($10::timestamptz, now())) returning id`,
    [
      record.needId,
      record.briefingId ?? null,
      record.followupId ?? null,
      record.kinds,
      record.uses,
      record.detail,
      record.notUsedReason ?? null,
      record.fellowIds,
      record.recordedById ?? null,
      at ?? null,
    ],
  );
  return (row?.id ?? '') as ImpactRecordId;
};

interface ImpactRow extends NeedAndBriefingColumns {
  followup_id: string | null;
  followup_months: number | null;
  kinds: ImpactKind[];
  uses: ImpactUse[];
  detail: string;
  not_used_reason: string | null;
  fellows: Person[];
  recorded_by_id: string | null;
  recorded_by_name: string | null;
  created_at: Date;
  total?: number;
}

// The CHECK constraints of migrations/0011_briefings.sql guarantee the kinds' and uses' values.
const toImpactRecord = (row: ImpactRow): ImpactRecord => ({
  id: row.id as ImpactRecordId,
  need: needOf(row),
  briefing: briefingOf(row),
  followup: row.followup_id ? { id: row.followup_id as FollowupId, months: row.followup_months ?? 0 } : undefined,
  kinds: row.kinds,
  uses: row.uses,
  detail: row.detail,
  notUsedReason: row.not_used_reason ?? undefined,
  fellows: people(row.fellows),
  recordedBy: row.recorded_by_id ? { id: row.recorded_by_id as UserId, name: row.recorded_by_name ?? '' } : undefined,
  createdAt: row.created_at,
});

const impactSelect = `
  select i.id, i.need_id, n.reference as need_reference, n.title as need_title, i.briefing_id,
    b.reference as briefing_reference, b.title as briefing_title, i.followup_id, f.months as followup_months,
    i.kinds, i.uses, i.detail, i.not_used_reason, i.recorded_by_id, recorder.name as recorded_by_name, i.created_at,
    coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name)
              from users u where u.id = any(i.fellow_ids)), '[]') as fellows
  from impact_records i
  join needs n on n.id = i.need_id
  left join briefings b on b.id = i.briefing_id
  left join followups f on f.id = i.followup_id
  left join users recorder on recorder.id = i.recorded_by_id`;

/** Impact records, in PostgreSQL. */
export const createImpactRepo = (sql: Sql): ImpactStore => ({
  async list(filter) {
    const rows = await sql.query<ImpactRow>(
      `${impactSelect.replace('i.created_at,', 'i.created_at, count(*) over () as total,')}
       where ($1::uuid is null or i.need_id = $1::uuid) and ($2::text is null or $2::text = any(i.kinds))
       order by i.created_at desc, i.id limit $3 offset $4`,
      [filter.needId ?? null, filter.kind ?? null, filter.limit, filter.offset],
    );
    return { records: rows.map(toImpactRecord), total: rows[0]?.total ?? 0 };
  },

  async find(id) {
    const [row] = await sql.query<ImpactRow>(`${impactSelect} where i.id = $1`, [id]);
    return row ? toImpactRecord(row) : undefined;
  },

  insert: (record) => insertRecord(sql, record),

  async setKinds(id, kinds) {
    const rows = await sql.query('update impact_records set kinds = $2::text[] where id = $1 returning 1', [id, kinds]);
    return rows.length > 0;
  },

  async references(needId, briefingId) {
    const [row] = await sql.query<{ need: boolean; briefing: boolean }>(
      `select exists (select 1 from needs where id = $1) as need,
              exists (select 1 from briefings where id = $2::uuid and need_id = $1) as briefing`,
      [needId, briefingId ?? null],
    );
    return { need: row?.need ?? false, briefing: row?.briefing ?? false };
  },

  async staffAmong(ids) {
    const rows = await sql.query<{ id: string }>(`select id from users where id = any($1::uuid[]) and role in ('fellow', 'lead', 'admin')`, [ids]);
    return rows.map((row) => row.id as UserId);
  },
});
