import type { Digest, DigestStore } from '../../core/matching/digests.js';
import type { Alert } from '../../core/matching/living.js';
import type { NeedId, RecordId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface PendingRow {
  alert_id: string;
  user_id: string;
  user_name: string;
  email: string;
  search_id: string;
  search_name: string;
  need_id: string | null;
  record_id: string;
  title: string;
  year: number | null;
  created_at: Date;
}

interface DigestRow {
  id: string;
  user_id: string;
  user_name: string;
  email: string;
  subject: string;
  body: string;
  alert_count: number;
  created_at: Date;
  sent_at: Date | null;
}

const toDigest = (row: DigestRow): Digest => ({
  id: row.id,
  recipient: { id: row.user_id as UserId, name: row.user_name, email: row.email },
  subject: row.subject,
  body: row.body,
  alertCount: row.alert_count,
  createdAt: row.created_at,
  sentAt: row.sent_at ?? undefined,
});

/** Digests of new evidence, in PostgreSQL. */
export const createDigestsRepo = (sql: Sql): DigestStore => ({
  async pendingAlerts() {
    const rows = await sql.query<PendingRow>(
      `select a.id as alert_id, u.id as user_id, u.name as user_name, u.email, s.id as search_id, s.name as search_name, s.need_id,
              r.id as record_id, r.title, r.year, a.created_at
       from alerts a join users u on u.id = a.user_id join saved_searches s on s.id = a.saved_search_id
       join evidence_records r on r.id = a.record_id
       where a.emailed_at is null and (u.wants_digest or s.wants_email)
       order by u.id, s.name, a.created_at`,
    );
    const byUser = new Map<string, { recipient: Digest['recipient']; alerts: Alert[] }>();
    for (const row of rows) {
      const entry = byUser.get(row.user_id) ?? { recipient: { id: row.user_id as UserId, name: row.user_name, email: row.email }, alerts: [] };
      entry.alerts.push({
        id: row.alert_id,
        savedSearch: { id: row.search_id, name: row.search_name, needId: (row.need_id ?? undefined) as NeedId | undefined },
        record: { id: row.record_id as RecordId, title: row.title, year: row.year ?? undefined },
        createdAt: row.created_at,
        seenAt: undefined,
      });
      byUser.set(row.user_id, entry);
    }
    return [...byUser.values()];
  },

  async insertDigest(input) {
    return sql.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        `insert into digests (user_id, subject, body, alert_count, sent_at, sent_via)
         values ($1, $2, $3, $4, case when $5::text is null then null else now() end, $5) returning id`,
        [input.userId, input.subject, input.body, input.alertIds.length, input.sentVia ?? null],
      );
      await tx.query('update alerts set emailed_at = now() where id = any($1::uuid[])', [input.alertIds]);
      return row?.id ?? '';
    });
  },

  async listUnsent() {
    const rows = await sql.query<DigestRow>(
      `select d.id, u.id as user_id, u.name as user_name, u.email, d.subject, d.body, d.alert_count, d.created_at, d.sent_at
       from digests d join users u on u.id = d.user_id where d.sent_at is null order by d.created_at`,
    );
    return rows.map(toDigest);
  },

  async markSent(id, by) {
    const rows = await sql.query("update digests set sent_at = now(), sent_via = 'by_hand', sent_by_id = $2 where id = $1 and sent_at is null returning 1", [id, by]);
    return rows.length > 0;
  },

  async setWantsDigest(userId, wantsDigest) {
    await sql.query('update users set wants_digest = $2 where id = $1', [userId, wantsDigest]);
  },

  async wantsDigest(userId) {
    const [row] = await sql.query<{ wants_digest: boolean }>('select wants_digest from users where id = $1', [userId]);
    return row?.wants_digest ?? false;
  },
});
