import type { SearchFilters } from '../../core/evidence/search.js';
import type { RecordTheme } from '../../core/evidence/types.js';
import type { SearchRanking } from '../../core/evidence/search-defaults.js';
import type { Alert, LivingStore, SavedSearch } from '../../core/matching/living.js';
import type { NeedId, RecordId, ThemeId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface SearchRow {
  id: string;
  owner_id: string;
  need_id: string | null;
  name: string;
  query: string;
  filters: SearchFilters;
  ranking: SearchRanking;
  themes: RecordTheme[];
  wants_email: boolean;
}

const toSearch = (row: SearchRow): SavedSearch => ({
  id: row.id,
  ownerId: row.owner_id as UserId,
  needId: (row.need_id ?? undefined) as NeedId | undefined,
  name: row.name,
  query: row.query,
  filters: row.filters,
  ranking: row.ranking,
  themes: row.themes,
  wantsEmail: row.wants_email,
});

// The theme filter is kept in `filters` (JSON) as theme ids, so a deleted theme leaves its id behind:
// only the themes that still exist are read back, and the search runs without the others.
const savedThemes = `coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) order by lower(t.name)) from themes t
  where t.id::text in (select jsonb_array_elements_text(case jsonb_typeof(s.filters -> 'themeIds') when 'array' then s.filters -> 'themeIds' else '[]'::jsonb end))), '[]'::jsonb) as themes`;

const searchColumns = `s.id, s.owner_id, s.need_id, s.name, s.query, s.filters, s.ranking, ${savedThemes}, s.wants_email`;

/** Saved searches, their matches and alerts, in PostgreSQL. */
export const createLivingRepo = (sql: Sql): LivingStore => ({
  async findThemes(ids) {
    if (ids.length === 0) {
      return [];
    }
    const rows = await sql.query<{ id: string; name: string }>('select id, name from themes where id = any($1::uuid[]) order by lower(name)', [ids]);
    return rows.map((row) => ({ id: row.id as ThemeId, name: row.name }));
  },

  async listActiveSearches() {
    const rows = await sql.query<SearchRow>(
      `select ${searchColumns} from saved_searches s left join needs n on n.id = s.need_id
       where s.need_id is null or n.status in ('submitted', 'triaged', 'in_progress', 'delivered')
       order by s.created_at`,
    );
    return rows.map(toSearch);
  },

  async upsertNeedSearch(input) {
    return sql.transaction(async (tx) => {
      const [existing] = await tx.query<SearchRow>(`select ${searchColumns} from saved_searches s where s.need_id = $1 for update`, [input.needId]);
      if (existing) {
        if (existing.query === input.query && existing.name === input.name) {
          return { search: toSearch(existing), isNew: false, queryChanged: false };
        }
        const [updated] = await tx.query<SearchRow>(
          `update saved_searches s set name = $2, query = $3, updated_at = now() where s.id = $1 returning ${searchColumns}`,
          [existing.id, input.name, input.query],
        );
        return { search: toSearch(updated ?? existing), isNew: false, queryChanged: existing.query !== input.query };
      }
      const [created] = await tx.query<SearchRow>(
        `insert into saved_searches as s (owner_id, need_id, name, query) values ($1, $2, $3, $4)
         on conflict (need_id) do update set updated_at = now() returning ${searchColumns}`,
        [input.ownerId, input.needId, input.name, input.query],
      );
      if (!created) {
        throw new Error('insert into saved_searches returned no row');
      }
      return { search: toSearch(created), isNew: true, queryChanged: false };
    });
  },

  async insertSavedSearch(input) {
    const [row] = await sql.query<SearchRow>(
      `insert into saved_searches as s (owner_id, name, query, filters, ranking, wants_email) values ($1, $2, $3, $4::jsonb, $5, $6) returning ${searchColumns}`,
      [input.ownerId, input.name, input.query, JSON.stringify(input.filters), input.ranking, input.wantsEmail],
    );
    if (!row) {
      throw new Error('insert into saved_searches returned no row');
    }
    return toSearch(row);
  },

  async listSavedSearches(ownerId) {
    const rows = await sql.query<SearchRow>(`select ${searchColumns} from saved_searches s where s.owner_id = $1 and s.need_id is null order by s.created_at desc`, [ownerId]);
    return rows.map(toSearch);
  },

  async deleteSavedSearch(ownerId, id) {
    const rows = await sql.query('delete from saved_searches where id = $1 and owner_id = $2 and need_id is null returning 1', [id, ownerId]);
    return rows.length > 0;
  },

  async recordMatches(searchId, matches, followers, alertable) {
    if (matches.length === 0) {
      return [];
    }
    return sql.transaction(async (tx) => {
      // Only the first node to record a match gets it back here, so alerts are created once.
      const added = await tx.query<{ record_id: string }>(
        `insert into search_matches (saved_search_id, record_id, score)
         select $1, m.record_id, m.score from jsonb_to_recordset($2::jsonb) as m(record_id uuid, score real)
         where exists (select 1 from evidence_records r where r.id = m.record_id)
         on conflict do nothing returning record_id`,
        [searchId, JSON.stringify(matches.map((match) => ({ record_id: match.recordId, score: match.score })))],
      );
      const ids = added.map((row) => row.record_id).filter((id) => alertable.has(id));
      if (ids.length > 0 && followers.length > 0) {
        await tx.query(
          `insert into alerts (user_id, saved_search_id, record_id)
           select u.id, $1, r.id from unnest($2::uuid[]) as u(id) cross join unnest($3::uuid[]) as r(id)
           on conflict do nothing`,
          [searchId, followers, ids],
        );
      }
      return ids as RecordId[];
    });
  },

  async listAlerts(userId, options) {
    const rows = await sql.query<{ id: string; search_id: string; search_name: string; need_id: string | null; record_id: string; title: string; year: number | null; created_at: Date; seen_at: Date | null }>(
      `select a.id, s.id as search_id, s.name as search_name, s.need_id, r.id as record_id, r.title, r.year, a.created_at, a.seen_at
       from alerts a join saved_searches s on s.id = a.saved_search_id join evidence_records r on r.id = a.record_id
       where a.user_id = $1 and (not $2::boolean or a.seen_at is null)
       order by a.created_at desc, r.title limit $3`,
      [userId, options.unseenOnly, options.limit],
    );
    return rows.map(
      (row): Alert => ({
        id: row.id,
        savedSearch: { id: row.search_id, name: row.search_name, needId: (row.need_id ?? undefined) as NeedId | undefined },
        record: { id: row.record_id as RecordId, title: row.title, year: row.year ?? undefined },
        createdAt: row.created_at,
        seenAt: row.seen_at ?? undefined,
      }),
    );
  },

  async countUnseen(userId) {
    const [row] = await sql.query<{ count: number }>('select count(*)::int as count from alerts where user_id = $1 and seen_at is null', [userId]);
    return row?.count ?? 0;
  },

  async markSeen(userId) {
    await sql.query('update alerts set seen_at = now() where user_id = $1 and seen_at is null', [userId]);
  },
});
