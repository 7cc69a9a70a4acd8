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

/**
 * A place in the change feed: a change's transaction id (xid8, as decimal text) and sequence
 * number. The feed is read in (xid, seq) order, and only as far as it is final: changes from
 * transactions older than the reader's snapshot xmin, all of which have ended. A change written
 * later comes from a transaction at or above that xmin, so it sorts after every position read
 * before: a reader never moves past a change it has not seen (migration 0013).
 */
export interface FeedPosition {
  readonly xid: string;
  readonly seq: number;
}

/** Before every change. */
export const startOfFeed: FeedPosition = { xid: '0', seq: 0 };

/** Negative, zero or positive as `left` comes before, at or after `right` in feed order. */
export const comparePositions = (left: FeedPosition, right: FeedPosition): number => {
  const byXid = BigInt(left.xid) - BigInt(right.xid);
  return byXid === 0n ? left.seq - right.seq : byXid < 0n ? -1 : 1;
};

interface PositionRow {
  xid: string;
  seq: number | string;
}

const toPosition = (row: PositionRow): FeedPosition => ({ xid: row.xid, seq: Number(row.seq) });

/** A change whose transaction ended before any transaction still running began: nothing can come before it any more. */
const isFinal = 'xid < pg_snapshot_xmin(pg_current_snapshot())';

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

  /**
   * Where a build from the records starts the feed: the last final change (see `FeedPosition`), or
   * the last one pruned if that is later (when pruning emptied the feed's final part). Never behind
   * `prunedUpTo`, or a node that had just built would take itself for one the feed left behind.
   */
  async head(): Promise<FeedPosition> {
    const [row] = await sql.query<PositionRow>(
      `select xid::text as xid, seq from (
         (select xid, seq from evidence_changes where ${isFinal} order by xid desc, seq desc limit 1)
         union all
         select up_to_xid, up_to_seq from evidence_changes_pruned
       ) candidates order by xid desc, seq desc limit 1`,
    );
    return row ? toPosition(row) : startOfFeed;
  },

  /** Every record's themes, for the search service's theme filter (a small table: one row per tag). */
  async recordThemes(): Promise<{ recordId: string; themeId: string }[]> {
    const rows = await sql.query<{ record_id: string; theme_id: string }>('select record_id, theme_id from record_themes');
    return rows.map((row) => ({ recordId: row.record_id, themeId: row.theme_id }));
  },

  /** The last position pruned from the feed: a reader behind it must rebuild. */
  async prunedUpTo(): Promise<FeedPosition> {
    const [row] = await sql.query<PositionRow>('select up_to_xid::text as xid, up_to_seq as seq from evidence_changes_pruned');
    return row ? toPosition(row) : startOfFeed;
  },

  /**
   * Deletes the final changes older than `days` days, with everything before them in feed order (a
   * prefix, so positions stay ordered), and records how far it went. Returns how many were deleted.
   */
  async prune(days: number): Promise<number> {
    return sql.transaction(async (tx) => {
      const [cut] = await tx.query<PositionRow>(
        `select xid::text as xid, seq from evidence_changes
         where changed_at < now() - make_interval(days => $1) and ${isFinal}
         order by xid desc, seq desc limit 1`,
        [days],
      );
      if (!cut) {
        return 0;
      }
      const deleted = await tx.query<{ seq: number }>('delete from evidence_changes where (xid, seq) <= ($1::xid8, $2::bigint) returning seq', [cut.xid, cut.seq]);
      await tx.query('update evidence_changes_pruned set up_to_xid = $1::xid8, up_to_seq = $2 where (up_to_xid, up_to_seq) < ($1::xid8, $2::bigint)', [cut.xid, cut.seq]);
      return deleted.length;
    });
  },

  /**
   * Changed record ids after `after`, in feed order, with the position they reach. `isHeldBack`
   * says that changes already committed wait behind a write transaction still running (anywhere on
   * the server): the caller should read again shortly rather than wait for the next announcement.
   */
  async changesSince(after: FeedPosition, limit: number): Promise<{ ids: string[]; reached: FeedPosition; isHeldBack: boolean }> {
    const rows = await sql.query<PositionRow & { record_id: string }>(
      `select xid::text as xid, seq, record_id from evidence_changes
       where (xid, seq) > ($1::xid8, $2::bigint) and ${isFinal}
       order by xid, seq limit $3`,
      [after.xid, after.seq, limit],
    );
    const ids = [...new Set(rows.map((row) => row.record_id))];
    const last = rows.at(-1);
    const reached = last ? toPosition(last) : after;
    if (rows.length === limit) {
      return { ids, reached, isHeldBack: false };
    }
    const [waiting] = await sql.query<{ is_held_back: boolean }>(
      'select exists (select 1 from evidence_changes where (xid, seq) > ($1::xid8, $2::bigint)) as is_held_back',
      [reached.xid, reached.seq],
    );
    return { ids, reached, isHeldBack: waiting?.is_held_back === true };
  },
});

export type IndexFeed = ReturnType<typeof createIndexFeedRepo>;
