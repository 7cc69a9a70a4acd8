import type { NeedIndex } from '../../core/matching/ports.js';
import type { LibraryId, NeedId, RecordId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';
import { InMemoryEvidenceIndex } from './evidence-index.js';

interface NeedRow {
  id: string;
  title: string;
  text: string;
  themes: string[];
}

const NEEDS = 'needs' as LibraryId;

/**
 * Needs searched with the same BM25F engine as evidence: title, then question and context, then
 * theme names. Needs number in the thousands, so the index is rebuilt (in milliseconds) whenever
 * the needs table has changed since the last build, which also serves every app node.
 */
export const createNeedIndex = (sql: Sql): NeedIndex => {
  let index = new InMemoryEvidenceIndex();
  let version = '';
  let building: Promise<void> | undefined;

  const refresh = async () => {
    const [stamp] = await sql.query<{ version: string }>("select count(*)::text || ':' || coalesce(max(updated_at)::text, '') as version from needs");
    if (stamp?.version === version) {
      return;
    }
    building ??= (async () => {
      const rows = await sql.query<NeedRow>(
        `select n.id, n.title,
                concat_ws(' ', n.question, n.decision, n.population, n.setting, n.tried_so_far) as text,
                coalesce((select array_agg(t.name) from need_themes nt join themes t on t.id = nt.theme_id where nt.need_id = n.id), '{}') as themes
         from needs n where n.resolution is distinct from 'merged'`,
      );
      const fresh = new InMemoryEvidenceIndex();
      fresh.upsert(
        rows.map((row) => ({ id: row.id as RecordId, libraryId: NEEDS, title: row.title, abstract: row.text, keywords: row.themes, year: undefined, design: 'other', level: undefined })),
      );
      index = fresh;
      version = stamp?.version ?? '';
    })().finally(() => {
      building = undefined;
    });
    await building;
  };

  return {
    async similar(text, limit) {
      await refresh();
      const result = await index.search({ text, limit });
      // The engine calls its documents records; in this index they are needs.
      return result.hits.map((hit) => ({ needId: hit.id as string as NeedId, score: hit.score }));
    },
  };
};
