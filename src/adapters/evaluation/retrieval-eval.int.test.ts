import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRetrieval, runPostgresBaseline } from './retrieval-eval.js';

/**
 * The fallback baseline for machines without sqlite3: PostgreSQL full-text search ranked by
 * ts_rank_cd. PGlite runs the same SQL as a server, so the fallback is checked on every machine.
 */
describe('PostgreSQL ts_rank_cd baseline', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
  });
  afterAll(async () => {
    await db.close();
  });

  it('ranks the same documents for OR queries of the tokens, and leaves nothing behind', async () => {
    const corpus = [
      { id: 'd1', title: 'Running and knee pain', text: 'runners reported knee pain after marathons' },
      { id: 'd2', title: 'Statins and breast cancer', text: 'statin users had lower breast cancer mortality' },
      { id: 'd3', title: '', text: 'knee replacement outcomes' },
    ];
    const { engine, rankings } = await runPostgresBaseline(db, {
      corpus,
      queries: [
        { id: 'q1', text: 'Does running cause knee pain?' },
        { id: 'q2', text: "statins' & breast | cancer: !" },
        { id: 'q3', text: 'the of and' },
        { id: 'q4', text: '?!' },
      ],
    });
    expect(engine).toMatch(/^postgresql-ts_rank_cd \d+/);
    expect(rankings.get('q1')?.[0]).toBe('d1');
    expect(rankings.get('q1')).toContain('d3');
    expect(rankings.get('q2')).toEqual(['d2']);
    // Only stop words, or no words: no results, and no error.
    expect(rankings.get('q3')).toEqual([]);
    expect(rankings.get('q4')).toEqual([]);
    const left = await db.query("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'mobilise_retrieval_baseline'");
    expect(left.rows).toEqual([{ n: 0 }]);
  });

  it('stands in for SQLite in the whole evaluation when sqlite3 is missing and a database is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mobilise-beir-pg-'));
    try {
      const paths = { corpus: join(dir, 'corpus.jsonl'), queries: join(dir, 'queries.jsonl'), qrels: join(dir, 'qrels.tsv') };
      await writeFile(paths.corpus, ['{"_id":"d1","title":"Falls in care homes","text":"exercise reduced falls"}', '{"_id":"d2","title":"Tea","text":"green tea and blood pressure"}'].join('\n'));
      await writeFile(paths.queries, '{"_id":"q1","text":"falls prevention"}\n');
      await writeFile(paths.qrels, 'query-id\tcorpus-id\tscore\nq1\td1\t1\n');
      let ended = false;
      const result = await evaluateRetrieval(paths, {
        sqlitePath: join(dir, 'no-sqlite3'),
        postgres: async () => ({
          query: async (text: string, params?: unknown[]) => db.query(text, params),
          end: async () => {
            ended = true;
          },
        }),
      });
      expect(result.baseline).toMatchObject({ engine: expect.stringMatching(/^postgresql-ts_rank_cd /), ndcg10: 1, recall100: 1, mrr10: 1 });
      expect(result.variants.baselineWithoutStopWords).toBeUndefined();
      expect(ended).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
