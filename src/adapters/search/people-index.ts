import type { ExpertIndex } from '../../core/matching/ports.js';
import type { LibraryId, PersonId, RecordId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';
import { createIndexFeedRepo } from '../db/index-feed-repo.js';
import { InMemoryEvidenceIndex } from './evidence-index.js';

interface PersonRow {
  id: string;
  expertise: string;
  job_title: string | null;
  themes: string[];
  authored: string[];
}

const PEOPLE = 'people' as LibraryId;
/** How many of a person's own records describe their expertise. */
const AUTHORED_TITLES = 50;

/**
 * People matched to needs with the same BM25F engine: expertise keywords as the title field,
 * the titles of records they wrote as the abstract, themes as keywords. Authorship is found by
 * family name and first initial ("Clarke, Hannah" and "Clarke, H" are Dr Hannah Clarke). Rebuilt
 * when people or the library change; people number in the hundreds.
 */
export const createPeopleIndex = (sql: Sql): ExpertIndex => {
  let index = new InMemoryEvidenceIndex();
  let version = '';
  const feed = createIndexFeedRepo(sql);

  const refresh = async () => {
    // People as counted and last updated, and the library's place in the change feed (`head`), which
    // any later change, even one committed out of order, moves on.
    const [people] = await sql.query<{ stamp: string }>(`select count(*) || ':' || coalesce(max(updated_at)::text, '') as stamp from people`);
    const head = await feed.head();
    const stamp = `${people?.stamp ?? ''}/${head.xid}:${head.seq}`;
    if (stamp === version) {
      return;
    }
    // Family name: the last word of the person's name; first initial: the first letter of the first word
    // that is not a title. Records list authors as "Family, Given".
    const rows = await sql.query<PersonRow>(
      `with named as (
         select p.id, p.expertise, p.job_title,
                lower(regexp_replace(p.name, '^.* ', '')) as family,
                lower(left(regexp_replace(p.name, '^((dr|prof|professor|mr|mrs|ms|miss)\\.? )+', '', 'i'), 1)) as initial
         from people p)
       select n.id, n.expertise, n.job_title,
              coalesce((select array_agg(t.name) from person_themes pt join themes t on t.id = pt.theme_id where pt.person_id = n.id), '{}') as themes,
              coalesce((select array_agg(title) from (
                 select r.title from evidence_records r
                 where r.merged_into_id is null
                   and exists (select 1 from unnest(r.authors) a where lower(a) like n.family || ', ' || n.initial || '%')
                 order by r.year desc nulls last limit ${AUTHORED_TITLES}) mine), '{}') as authored
       from named n
       where n.expertise <> '' or exists (select 1 from person_themes pt where pt.person_id = n.id)`,
    );
    const fresh = new InMemoryEvidenceIndex();
    fresh.upsert(
      rows.map((row) => ({
        id: row.id as RecordId,
        libraryId: PEOPLE,
        title: [row.expertise, row.job_title ?? ''].join(' '),
        abstract: row.authored.join('. '),
        keywords: row.themes,
        year: undefined,
        design: 'other' as const,
        level: undefined,
      })),
    );
    index = fresh;
    version = stamp;
  };

  return {
    async matching(text, limit) {
      await refresh();
      const result = await index.search({ text, limit, explain: true });
      // The engine calls its documents records; in this index they are people.
      return result.hits.map((hit) => ({ personId: hit.id as string as PersonId, score: hit.score, terms: hit.explanation?.terms.map((term) => term.term) ?? [] }));
    },
  };
};
