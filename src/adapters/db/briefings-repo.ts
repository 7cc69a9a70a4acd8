import type { BriefingStore, BriefingSummary } from '../../core/briefings/ports.js';
import type { Briefing, BriefingId, BriefingStatus, Section } from '../../core/briefings/types.js';
import type { ReviewId } from '../../core/reviews/types.js';
import type { NeedId, RecordId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface BriefingRow {
  id: string;
  reference: string;
  need_id: string | null;
  review_id: string | null;
  template: Briefing['template'];
  title: string;
  status: BriefingStatus;
  citation_style: Briefing['citationStyle'];
  is_public: boolean;
  public_slug: string | null;
  current_version: number;
  record_ids: string[];
  created_by_id: string;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

const columns = `b.id, b.reference, b.need_id, b.review_id, b.template, b.title, b.status, b.citation_style, b.is_public, b.public_slug,
  b.current_version, b.created_by_id, u.name as created_by_name, b.created_at, b.updated_at, b.delivered_at,
  coalesce((select array_agg(r.record_id order by r.position) from briefing_records r where r.briefing_id = b.id), '{}') as record_ids`;

const toBriefing = (row: BriefingRow): Briefing => ({
  id: row.id as BriefingId,
  reference: row.reference,
  needId: (row.need_id ?? undefined) as NeedId | undefined,
  reviewId: (row.review_id ?? undefined) as ReviewId | undefined,
  template: row.template,
  title: row.title,
  status: row.status,
  citationStyle: row.citation_style,
  isPublic: row.is_public,
  publicSlug: row.public_slug ?? undefined,
  currentVersion: row.current_version,
  recordIds: row.record_ids as RecordId[],
  createdBy: { id: row.created_by_id as UserId, name: row.created_by_name },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deliveredAt: row.delivered_at ?? undefined,
});

/** Briefings in PostgreSQL: the briefing, its versions (append-only), evidence list, comments and status history. */
export const createBriefingsRepo = (sql: Sql): BriefingStore => ({
  async create(input) {
    return sql.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        `insert into briefings (need_id, review_id, template, title, citation_style, created_by_id) values ($1, $2, $3, $4, $5, $6) returning id`,
        [input.needId ?? null, input.reviewId ?? null, input.template, input.title, input.citationStyle, input.createdBy],
      );
      if (!row) {
        throw new Error('insert into briefings returned no row');
      }
      await tx.query(`insert into briefing_versions (briefing_id, version, sections, note, created_by_id) values ($1, 1, $2, 'Started', $3)`, [row.id, JSON.stringify(input.sections), input.createdBy]);
      await tx.query('insert into briefing_records (briefing_id, record_id, position) select $1, id, ord from unnest($2::uuid[]) with ordinality as t(id, ord)', [row.id, input.recordIds]);
      await tx.query("insert into briefing_events (briefing_id, from_status, to_status, actor_id) values ($1, null, 'draft', $2)", [row.id, input.createdBy]);
      return row.id as BriefingId;
    });
  },

  async find(id) {
    const [row] = await sql.query<BriefingRow>(`select ${columns} from briefings b join users u on u.id = b.created_by_id where b.id = $1`, [id]);
    return row ? toBriefing(row) : undefined;
  },

  async findBySlug(slug) {
    const [row] = await sql.query<BriefingRow>(`select ${columns} from briefings b join users u on u.id = b.created_by_id where b.public_slug = $1`, [slug]);
    return row ? toBriefing(row) : undefined;
  },

  async list({ needId, reviewId, status }) {
    const rows = await sql.query<{
      id: string;
      reference: string;
      title: string;
      template: Briefing['template'];
      status: BriefingStatus;
      need_id: string | null;
      review_id: string | null;
      current_version: number;
      updated_at: Date;
    }>(
      `select id, reference, title, template, status, need_id, review_id, current_version, updated_at from briefings
       where ($1::uuid is null or need_id = $1) and ($2::uuid is null or review_id = $2) and ($3::text is null or status = $3)
       order by updated_at desc limit 500`,
      [needId ?? null, reviewId ?? null, status ?? null],
    );
    return rows.map(
      (row): BriefingSummary => ({
        id: row.id as BriefingId,
        reference: row.reference,
        title: row.title,
        template: row.template,
        status: row.status,
        needId: row.need_id ?? undefined,
        reviewId: row.review_id ?? undefined,
        currentVersion: row.current_version,
        updatedAt: row.updated_at,
      }),
    );
  },

  async version(id, version) {
    const [row] = await sql.query<{ version: number; sections: Section[]; note: string; created_by_id: string; name: string; created_at: Date }>(
      `select v.version, v.sections, v.note, v.created_by_id, u.name, v.created_at from briefing_versions v join users u on u.id = v.created_by_id
       where v.briefing_id = $1 and v.version = $2`,
      [id, version],
    );
    return row ? { version: row.version, sections: row.sections, note: row.note, createdBy: { id: row.created_by_id as UserId, name: row.name }, createdAt: row.created_at } : undefined;
  },

  async listVersions(id) {
    const rows = await sql.query<{ version: number; note: string; created_by_id: string; name: string; created_at: Date }>(
      `select v.version, v.note, v.created_by_id, u.name, v.created_at from briefing_versions v join users u on u.id = v.created_by_id
       where v.briefing_id = $1 order by v.version desc`,
      [id],
    );
    return rows.map((row) => ({ version: row.version, note: row.note, createdBy: { id: row.created_by_id as UserId, name: row.name }, createdAt: row.created_at }));
  },

  async saveVersion({ id, expectedVersion, sections, note, createdBy }) {
    return sql.transaction(async (tx) => {
      // Only the writer who started from the current version moves it on; a concurrent save finds no row.
      const moved = await tx.query<{ id: string }>('update briefings set current_version = current_version + 1, updated_at = now() where id = $1 and current_version = $2 returning id', [
        id,
        expectedVersion,
      ]);
      if (moved.length === 0) {
        return false;
      }
      await tx.query('insert into briefing_versions (briefing_id, version, sections, note, created_by_id) values ($1, $2, $3, $4, $5)', [
        id,
        expectedVersion + 1,
        JSON.stringify(sections),
        note,
        createdBy,
      ]);
      return true;
    });
  },

  async setRecords(id, recordIds) {
    await sql.transaction(async (tx) => {
      await tx.query('delete from briefing_records where briefing_id = $1', [id]);
      await tx.query('insert into briefing_records (briefing_id, record_id, position) select $1, rid, ord from unnest($2::uuid[]) with ordinality as t(rid, ord)', [id, recordIds]);
      await tx.query('update briefings set updated_at = now() where id = $1', [id]);
    });
  },

  async update(id, input) {
    await sql.query('update briefings set title = $2, citation_style = $3, is_public = $4, public_slug = $5, updated_at = now() where id = $1', [
      id,
      input.title,
      input.citationStyle,
      input.isPublic,
      input.publicSlug ?? null,
    ]);
  },

  async setStatus({ id, from, to, actorId }) {
    await sql.transaction(async (tx) => {
      const moved = await tx.query<{ id: string }>(
        `update briefings set status = $3, updated_at = now(), delivered_at = case when $3 = 'delivered' then now() else delivered_at end
         where id = $1 and status = $2 returning id`,
        [id, from, to],
      );
      if (moved.length === 0) {
        throw new Error(`briefing ${id} was no longer ${from}`);
      }
      await tx.query('insert into briefing_events (briefing_id, from_status, to_status, actor_id) values ($1, $2, $3, $4)', [id, from, to, actorId]);
    });
  },

  async addComment(input) {
    await sql.query('insert into briefing_comments (briefing_id, version, section_key, author_id, body) values ($1, $2, $3, $4, $5)', [
      input.id,
      input.version,
      input.sectionKey ?? null,
      input.authorId,
      input.body,
    ]);
  },

  async listComments(id) {
    const rows = await sql.query<{ id: string; version: number; section_key: string | null; author_id: string; name: string; role: string; body: string; created_at: Date }>(
      `select c.id, c.version, c.section_key, c.author_id, u.name, u.role, c.body, c.created_at from briefing_comments c join users u on u.id = c.author_id
       where c.briefing_id = $1 order by c.created_at, c.id`,
      [id],
    );
    return rows.map((row) => ({
      id: row.id,
      version: row.version,
      sectionKey: row.section_key ?? undefined,
      author: { id: row.author_id as UserId, name: row.name, role: row.role },
      body: row.body,
      createdAt: row.created_at,
    }));
  },

  async listEvents(id) {
    const rows = await sql.query<{ from_status: BriefingStatus | null; to_status: BriefingStatus; name: string; at: Date }>(
      'select e.from_status, e.to_status, u.name, e.at from briefing_events e join users u on u.id = e.actor_id where e.briefing_id = $1 order by e.id',
      [id],
    );
    return rows.map((row) => ({ from: row.from_status ?? undefined, to: row.to_status, actor: row.name, at: row.at }));
  },
});
