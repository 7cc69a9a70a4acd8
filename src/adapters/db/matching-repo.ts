import type { Pin, PinStore } from '../../core/matching/ports.js';
import type { RecordId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

/** Evidence pinned to needs, in PostgreSQL. */
export const createMatchingRepo = (sql: Sql): PinStore => ({
  async listPins(needId) {
    const rows = await sql.query<{ record_id: string; pinned_by_id: string; pinned_by_name: string; note: string; pinned_at: Date }>(
      `select p.record_id, p.pinned_by_id, u.name as pinned_by_name, p.note, p.pinned_at
       from need_evidence p join users u on u.id = p.pinned_by_id where p.need_id = $1 order by p.pinned_at, p.record_id`,
      [needId],
    );
    return rows.map((row): Pin => ({ recordId: row.record_id as RecordId, pinnedBy: { id: row.pinned_by_id as UserId, name: row.pinned_by_name }, note: row.note, pinnedAt: row.pinned_at }));
  },
  async insertPin(pin) {
    await sql.transaction(async (tx) => {
      await tx.query('insert into need_evidence (need_id, record_id, pinned_by_id, note) values ($1, $2, $3, $4) on conflict do nothing', [
        pin.needId,
        pin.recordId,
        pin.pinnedBy,
        pin.note,
      ]);
      // Evidence pinned to a need is evidence on the need's themes: the record is tagged with them,
      // so the library, search and other needs' matching find it by theme too.
      await tx.query(
        `insert into record_themes (record_id, theme_id, added_by_id)
         select $2, theme_id, $3 from need_themes where need_id = $1
         on conflict (record_id, theme_id) do nothing`,
        [pin.needId, pin.recordId, pin.pinnedBy],
      );
    });
  },
  async deletePin(needId, recordId) {
    const rows = await sql.query('delete from need_evidence where need_id = $1 and record_id = $2 returning 1', [needId, recordId]);
    return rows.length > 0;
  },
  async recordExists(recordId) {
    const rows = await sql.query('select 1 from evidence_records where id = $1 and merged_into_id is null', [recordId]);
    return rows.length > 0;
  },
});
