import type { StudyDesign } from '../../core/evidence/classify.js';
import type { IndexedDocument } from '../../core/evidence/search.js';
import type { LibraryId, RecordId, ThemeId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface DocumentRow {
  id: string;
  library_id: string;
  title: string;
  abstract: string | null;
  keywords: string[];
  mesh_terms: string[];
  year: number | null;
  study_design: StudyDesign;
  evidence_level: number | null;
  theme_ids: string[];
  merged_into_id: string | null;
}

const toDocument = (row: DocumentRow): IndexedDocument => ({
  id: row.id as RecordId,
  libraryId: row.library_id as LibraryId,
  title: row.title,
  abstract: row.abstract ?? '',
  keywords: [...row.keywords, ...row.mesh_terms],
  year: row.year ?? undefined,
  design: row.study_design,
  level: row.evidence_level ?? undefined,
  themeIds: row.theme_ids as ThemeId[],
});

// Theme ids through the (record_id, theme_id) primary key, one small index scan per record: a page
// of 5,000 records costs 5,000 probes rather than a join over every tagged record. As text, which
// both drivers parse into an array.
const columns = `r.id, r.library_id, r.title, r.abstract, r.keywords, r.mesh_terms, r.year, r.study_design, r.evidence_level, r.merged_into_id,
  array(select rt.theme_id::text from record_themes rt where rt.record_id = r.id order by rt.theme_id) as theme_ids`;

/** What the evidence index reads from the database: documents, their text, and the change feed. */
export const createIndexFeedRepo = (sql: Sql) => ({
  /** Live records after `afterId`, in id order: pages for building the index. */
  async listDocuments(afterId: string | undefined, limit: number): Promise<IndexedDocument[]> {
    const rows = await sql.query<DocumentRow>(
      `select ${columns} from evidence_records r where r.merged_into_id is null and ($1::uuid is null or r.id > $1) order by r.id limit $2`,
      [afterId ?? null, limit],
    );
    return rows.map(toDocument);
  },

  /** The records behind changes: live ones to (re)index, merged ones to remove. */
  async findDocuments(ids: readonly string[]): Promise<{ live: IndexedDocument[]; gone: RecordId[] }> {
    const rows = await sql.query<DocumentRow>(`select ${columns} from evidence_records r where r.id = any($1::uuid[])`, [ids]);
    const found = new Set(rows.map((row) => row.id));
    return {
      live: rows.filter((row) => row.merged_into_id === null).map(toDocument),
      gone: [...rows.filter((row) => row.merged_into_id !== null).map((row) => row.id), ...ids.filter((id) => !found.has(id))] as RecordId[],
    };
  },

  async texts(ids: readonly RecordId[]): Promise<Map<string, string>> {
    const rows = await sql.query<{ id: string; text: string }>(
      `select id, title || ' ' || coalesce(abstract, '') as text from evidence_records where id = any($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.text]));
  },

  async lastSeq(): Promise<number> {
    const [row] = await sql.query<{ seq: number }>('select coalesce(max(seq), 0)::bigint as seq from evidence_changes');
    return row?.seq ?? 0;
  },

  /** Every record's themes, for the search service's theme filter (a small table: one row per tag). */
  async recordThemes(): Promise<{ recordId: string; themeId: string }[]> {
    const rows = await sql.query<{ record_id: string; theme_id: string }>('select record_id, theme_id from record_themes');
    return rows.map((row) => ({ recordId: row.record_id, themeId: row.theme_id }));
  },

  /** The highest sequence number pruned from the feed: a reader behind it must rebuild. */
  async prunedUpTo(): Promise<number> {
    const [row] = await sql.query<{ seq: number }>('select up_to_seq as seq from evidence_changes_pruned');
    return row?.seq ?? 0;
  },

  /**
   * Deletes the changes older than `days` days (a prefix of the feed, so that sequence numbers stay
   * ordered) and records how far it went. Returns how many changes were deleted.
   */
  async prune(days: number): Promise<number> {
    return sql.transaction(async (tx) => {
      const [cut] = await tx.query<{ seq: number | null }>("select max(seq) as seq from evidence_changes where changed_at < now() - make_interval(days => $1)", [days]);
      if (cut?.seq === null || cut?.seq === undefined) {
        return 0;
      }
      const deleted = await tx.query<{ seq: number }>('delete from evidence_changes where seq <= $1 returning seq', [cut.seq]);
      await tx.query('update evidence_changes_pruned set up_to_seq = greatest(up_to_seq, $1)', [cut.seq]);
      return deleted.length;
    });
  },

  /** Changed record ids after `seq`, oldest first, with the newest sequence number they reach. */
  async changesSince(seq: number, limit: number): Promise<{ ids: string[]; lastSeq: number }> {
    const rows = await sql.query<{ seq: number; record_id: string }>('select seq, record_id from evidence_changes where seq > $1 order by seq limit $2', [seq, limit]);
    return { ids: [...new Set(rows.map((row) => row.record_id))], lastSeq: rows.at(-1)?.seq ?? seq };
  },
});

export type IndexFeed = ReturnType<typeof createIndexFeedRepo>;
