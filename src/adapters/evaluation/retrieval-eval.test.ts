import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  evaluateRetrieval,
  fts5Query,
  meanMetrics,
  ndcgAt,
  parseQrels,
  recallAt,
  reciprocalRankAt,
  runSqliteBaseline,
  SQLITE_PATH,
  sqlString,
  withoutStopWords,
} from './retrieval-eval.js';

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries));

/** The FTS5 baseline needs Debian's sqlite3: skipped with a warning where it is missing, but never in CI. */
const requireSqlite = (context: TestContext): void => {
  if (existsSync(SQLITE_PATH)) {
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error(`${SQLITE_PATH} is missing: CI must run the SQLite FTS5 baseline (apt-get install sqlite3)`);
  }
  console.warn(`${SQLITE_PATH} is missing: skipping the SQLite FTS5 baseline test`);
  context.skip(`${SQLITE_PATH} is missing`);
};

describe('retrieval metrics (BEIR / trec_eval definitions)', () => {
  it('computes nDCG@10 with the grade as the gain and a log2(rank + 1) discount', () => {
    // DCG = 2/log2(3) + 1/log2(4); ideal = 2/1 + 1/log2(3) + 1/log2(4).
    const judgements = judged({ a: 2, b: 1, c: 1, d: 0 });
    const expected = (2 / Math.log2(3) + 1 / 2) / (2 + 1 / Math.log2(3) + 1 / 2);
    expect(ndcgAt(['x', 'a', 'c', 'd'], judgements, 10)).toBeCloseTo(expected, 10);
    expect(ndcgAt(['x', 'a', 'c', 'd'], judgements, 10)).toBeCloseTo(0.5627, 4);
    expect(ndcgAt(['a', 'b', 'c'], judgements, 10)).toBe(1);
  });

  it('uses linear gains, not 2^grade − 1', () => {
    // Linear: (1 + 2/log2 3) / (2 + 1/log2 3) = 0.8597; exponential gains would give 0.7967.
    expect(ndcgAt(['b', 'a'], judged({ a: 2, b: 1 }), 10)).toBeCloseTo(0.8597, 4);
  });

  it('builds the ideal ranking from every judged document, retrieved or not, cut at k', () => {
    expect(ndcgAt(['a'], judged({ a: 1, b: 1 }), 10)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 10);
    // Twelve relevant documents: the first ten found in order is a perfect nDCG@10.
    const many = judged(Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`r${index}`, 1])));
    expect(ndcgAt(Array.from({ length: 10 }, (_, index) => `r${index}`), many, 10)).toBe(1);
    // A relevant document at rank 11 earns nothing at k = 10.
    expect(ndcgAt([...Array.from({ length: 10 }, (_, index) => `n${index}`), 'r0'], many, 10)).toBe(0);
  });

  it('does not count a document listed twice twice', () => {
    expect(ndcgAt(['a', 'a', 'b'], judged({ a: 1, b: 1 }), 10)).toBe(1);
    expect(ndcgAt(['a', 'a'], judged({ a: 1, b: 1 }), 10)).toBeLessThan(1);
  });

  it('computes Recall@100 over documents graded above 0', () => {
    expect(recallAt(['c', 'a'], judged({ a: 1, b: 2, c: 0 }), 100)).toBe(0.5);
    const late = [...Array.from({ length: 100 }, (_, index) => `n${index}`), 'a'];
    expect(recallAt(late, judged({ a: 1 }), 100)).toBe(0);
    expect(recallAt(['a'], judged({ a: 0 }), 100)).toBe(0);
  });

  it('computes MRR@10 from the first relevant document within the first ten', () => {
    expect(reciprocalRankAt(['x', 'z', 'a', 'b'], judged({ a: 1, b: 2, z: 0 }), 10)).toBeCloseTo(1 / 3, 10);
    const late = [...Array.from({ length: 10 }, (_, index) => `n${index}`), 'a'];
    expect(reciprocalRankAt(late, judged({ a: 1 }), 10)).toBe(0);
  });

  it('averages over every judged query: one without relevant documents or without results scores 0 and still counts', () => {
    const qrels = new Map([
      ['q1', judged({ a: 1 })],
      ['q2', judged({ b: 0 })],
      ['q3', judged({ c: 2 })],
    ]);
    const rankings = new Map([
      // The query's own id is dropped, as BEIR's ignore_identical_ids does.
      ['q1', ['q1', 'a']],
      ['q2', ['b']],
      ['unjudged', ['a']],
    ]);
    expect(meanMetrics(rankings, qrels)).toEqual({ ndcg10: 0.3333, recall100: 0.3333, mrr10: 0.3333 });
  });

  it('reads graded qrels with or without the BEIR header and rejects malformed lines', () => {
    const qrels = parseQrels('query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t1\r\nq2\td1\t0\n');
    expect([...qrels]).toEqual([
      ['q1', new Map([['d1', 2], ['d2', 1]])],
      ['q2', new Map([['d1', 0]])],
    ]);
    expect(parseQrels('q1\td1\t1\n').get('q1')?.get('d1')).toBe(1);
    expect(() => parseQrels('q1\td1\t1\nq2 d2 1\n', 'bad.tsv')).toThrow(/bad\.tsv:2/);
  });
});

describe('the FTS5 baseline query', () => {
  it('ORs the tokens, each quoted so that FTS5 operators and symbols are searched as words', () => {
    expect(fts5Query('Do "statins" cause OR-NOT cancer? NEAR(x*) ^y')).toBe('"Do" OR "statins" OR "cause" OR "OR" OR "NOT" OR "cancer" OR "NEAR" OR "x" OR "y"');
    expect(fts5Query('?! --')).toBe('');
    expect(fts5Query('naïve café')).toBe('"naïve" OR "café"');
  });

  it('quotes SQL strings and turns control characters into spaces', () => {
    expect(sqlString("Crohn's\ndisease")).toBe("'Crohn''s disease'");
  });

  it('drops our stop words for the second baseline run', () => {
    expect(withoutStopWords('How to Reduce Exposure to Alkylphenols Through Your Diet')).toBe('Reduce Exposure Alkylphenols Diet');
  });

  it('runs queries full of FTS5 syntax through sqlite3 without errors, in one batch', async (context) => {
    requireSqlite(context);
    const corpus = [
      { id: 'd1', title: "Crohn's disease", text: 'dietary fibre and flares' },
      { id: 'd2', title: 'Near-sightedness', text: 'myopia in children' },
    ];
    const { engine, rankings } = await runSqliteBaseline(corpus, [
      [
        { id: 'q1', text: `Crohn's "disease" AND * ^ (flares) NOT` },
        { id: 'q2', text: 'NEAR sightedness' },
        { id: 'q3', text: '?!' },
      ],
      [{ id: 'q1', text: 'myopia' }],
    ]);
    expect(engine).toMatch(/^sqlite-fts5-bm25 3\.\d+\.\d+$/);
    expect(rankings[0]).toEqual(
      new Map([
        ['q1', ['d1']],
        ['q2', ['d2']],
        ['q3', []],
      ]),
    );
    expect(rankings[1]).toEqual(new Map([['q1', ['d2']]]));
  });
});

describe('evaluateRetrieval on a synthetic BEIR collection', () => {
  let dir = '';
  const paths = () => ({ corpus: join(dir, 'corpus.jsonl'), queries: join(dir, 'queries.jsonl'), qrels: join(dir, 'qrels', 'test.tsv') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mobilise-beir-'));
    const corpus = [
      { _id: 'd1', title: '', text: 'pediatric anemia in primary care iron deficiency in children' },
      { _id: 'd2', title: 'Statins and breast cancer survival', text: 'statin users in a nationwide cohort had lower breast cancer mortality' },
      { _id: 'd3', title: 'Falls prevention in care homes', text: 'exercise programs reduced falls among residents' },
      { _id: 'd4', title: 'Alcohol brief interventions', text: 'brief advice reduced drinking in emergency departments' },
      { _id: 'd5', title: 'Vitamin D and bone health', text: 'supplementation and fractures in older adults' },
      { _id: 'd6', title: 'Green tea and cardiovascular risk', text: 'tea drinkers had lower blood pressure' },
      { _id: 7, text: 'numeric ids and a missing title are accepted' },
    ];
    const queries = [
      { _id: 'q1', text: 'Do statins affect breast cancer survival?' },
      { _id: 'q2', text: 'falls in care homes' },
      // British spelling against an American document: our index maps it, FTS5 cannot.
      { _id: 'q3', text: 'paediatric anaemia' },
      // Judged, but nothing relevant: scores 0 and counts, as in BEIR.
      { _id: 'q4', text: 'alcohol advice' },
      // Not judged: not evaluated.
      { _id: 'q5', text: 'green tea' },
    ];
    await mkdir(join(dir, 'qrels'));
    await writeFile(paths().corpus, corpus.map((row) => JSON.stringify(row)).join('\n'));
    await writeFile(paths().queries, `${queries.map((row) => JSON.stringify(row)).join('\n')}\n`);
    await writeFile(paths().qrels, 'query-id\tcorpus-id\tscore\nq1\td2\t2\nq2\td3\t1\nq3\td1\t2\nq4\td4\t0\n');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks with our index and with FTS5 over the same documents and judged queries', async (context) => {
    requireSqlite(context);
    const result = await evaluateRetrieval(paths());
    expect(result).toMatchObject({ queries: 4, documents: 7, judgements: 4, missingJudgedDocuments: 0, expand: true });
    // q1–q3 found first, q4 has nothing relevant: 3 of 4.
    expect(result).toMatchObject({ ndcg10: 0.75, recall100: 0.75, mrr10: 0.75 });
    expect(result.variants.noRm3).toEqual({ ndcg10: 0.75, recall100: 0.75, mrr10: 0.75 });
    // FTS5 misses the British spelling.
    expect(result.baseline).toEqual({ engine: expect.stringMatching(/^sqlite-fts5-bm25 3\./), ndcg10: 0.5, recall100: 0.5, mrr10: 0.5 });
    expect(result.ndcg10Gain).toBe(0.5);
    expect(result.variants.baselineWithoutStopWords).toEqual({ ndcg10: 0.5, recall100: 0.5, mrr10: 0.5 });
  });

  it('uses the variant without RM3 for the headline when asked', async (context) => {
    requireSqlite(context);
    const result = await evaluateRetrieval(paths(), { expand: false });
    expect(result.expand).toBe(false);
    expect(result.ndcg10).toBe(result.variants.noRm3.ndcg10);
  });

  it('fails with a clear message when there is neither sqlite3 nor a PostgreSQL URL', async () => {
    await expect(evaluateRetrieval(paths(), { sqlitePath: join(dir, 'no-sqlite3') })).rejects.toThrow(/No baseline engine: .*no-sqlite3 is missing.*--baseline-url/);
  });

  it('rejects judged queries that the queries file lacks, and files that are not JSON lines', async () => {
    const qrels = join(dir, 'qrels', 'unknown.tsv');
    await writeFile(qrels, 'q9\td1\t1\n');
    await expect(evaluateRetrieval({ ...paths(), qrels })).rejects.toThrow(/1 judged queries are not in/);
    const corpus = join(dir, 'broken.jsonl');
    await writeFile(corpus, '{"_id": "d1", "text": "fine"}\n{"_id": "d2", "text": \n');
    await expect(evaluateRetrieval({ ...paths(), corpus })).rejects.toThrow(/broken\.jsonl:2: not JSON/);
  });
});

const nfcorpus = fileURLToPath(new URL('../../../../shared/data/retrieval/nfcorpus', import.meta.url));

describe.skipIf(!existsSync(join(nfcorpus, 'corpus.jsonl')))('evaluateRetrieval on NFCorpus (../shared/data)', () => {
  // About 3 s: the index, 2 × 323 queries and one sqlite3 process.
  it('beats plain BM25 in SQLite FTS5 by at least 5% nDCG@10 with the default settings', { timeout: 60_000 }, async (context) => {
    requireSqlite(context);
    const result = await evaluateRetrieval({ corpus: join(nfcorpus, 'corpus.jsonl'), queries: join(nfcorpus, 'queries.jsonl'), qrels: join(nfcorpus, 'qrels', 'test.tsv') });
    expect(result).toMatchObject({ queries: 323, documents: 3162, judgements: 12334, missingJudgedDocuments: 0 });
    expect(result.ndcg10).toBeGreaterThanOrEqual(result.baseline.ndcg10 * 1.05);
    // The published BM25 figure for NFCorpus is 0.32–0.33; a baseline far from it would mean a broken run.
    expect(result.baseline.ndcg10).toBeGreaterThan(0.3);
    expect(result.baseline.ndcg10).toBeLessThan(0.36);
  });
});
