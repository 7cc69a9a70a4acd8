import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { IndexedDocument } from '../../core/evidence/search.js';
import { AppError } from '../../core/shared/errors.js';
import type { LibraryId, RecordId } from '../../core/shared/ids.js';
import { InMemoryEvidenceIndex, type IndexSettings } from '../search/evidence-index.js';
import { stopWords } from '../search/tokenize.js';

/**
 * Retrieval quality on a BEIR-layout test collection (corpus.jsonl, queries.jsonl, qrels/*.tsv),
 * measured the way BEIR measures it, for our evidence index and, in the same run over the same
 * documents and queries, for plain BM25 in an external engine (SQLite FTS5, or PostgreSQL).
 */

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

/** Graded judgements of one query: document id → relevance (0 = judged not relevant). */
export type Judgements = ReadonlyMap<string, number>;

export interface BeirCollection {
  corpus: BeirDocument[];
  queries: BeirQuery[];
  qrels: Map<string, Map<string, number>>;
}

export interface RetrievalMetrics {
  ndcg10: number;
  recall100: number;
  mrr10: number;
}

export interface RetrievalEvaluation extends RetrievalMetrics {
  queries: number;
  baseline: RetrievalMetrics & { engine: string };
  /** Our nDCG@10 relative to the baseline's: 0.05 means 5% above it. */
  ndcg10Gain: number;
  documents: number;
  judgements: number;
  /** Judged documents that are not in the corpus: they count in the ideal ranking but can never be found. */
  missingJudgedDocuments: number;
  expand: boolean;
  settings: IndexSettings;
  /**
   * Our index with pseudo-relevance feedback on and off, whichever the headline figures use; and
   * (SQLite only) the baseline again with our stop words taken out of the queries.
   */
  variants: { rm3: RetrievalMetrics; noRm3: RetrievalMetrics; baselineWithoutStopWords?: RetrievalMetrics };
  seconds: number;
  timings: { load: number; index: number; rm3: number; noRm3: number; baseline: number };
}

// ---------------------------------------------------------------------------------------------
// Metrics. BEIR (beir/retrieval/evaluation.py) computes nDCG@k and Recall@k with pytrec_eval, i.e.
// trec_eval 9's `ndcg_cut.k` and `recall.k`, and MRR@k with its own `mrr` in
// beir/retrieval/custom_metrics.py. trec_eval's m_ndcg_cut.c uses the qrels grade itself as the
// gain ("Gain values are the relevance values in the qrels file"), not 2^rel − 1, and discounts the
// document at rank r (1-based) by log2(r + 1) ("i+2 since doc i has rank i+1"); the ideal DCG ranks
// every judged document of the query by grade, found or not. Recall counts documents graded ≥ 1
// (trec_eval's default relevance level), MRR documents with a grade > 0. A query whose judgements
// are all 0 scores 0 on every metric and still counts in the mean, as in trec_eval and BEIR.
// ---------------------------------------------------------------------------------------------

/** nDCG@k with linear gains and a log2(rank + 1) discount, as trec_eval's ndcg_cut. */
export const ndcgAt = (ranking: readonly string[], judgements: Judgements, k: number): number => {
  const seen = new Set<string>();
  let dcg = 0;
  let rank = 0;
  for (const id of ranking) {
    // A document listed twice would otherwise earn its gain twice.
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    rank += 1;
    if (rank > k) {
      break;
    }
    const gain = judgements.get(id) ?? 0;
    if (gain > 0) {
      dcg += gain / Math.log2(rank + 1);
    }
  }
  const ideal = [...judgements.values()]
    .filter((gain) => gain > 0)
    .sort((left, right) => right - left)
    .slice(0, k)
    .reduce((sum, gain, index) => sum + gain / Math.log2(index + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
};

/** Recall@k: the share of the relevant documents (grade > 0) found in the first k. */
export const recallAt = (ranking: readonly string[], judgements: Judgements, k: number): number => {
  const relevant = [...judgements.values()].filter((grade) => grade > 0).length;
  if (relevant === 0) {
    return 0;
  }
  const found = new Set(ranking.slice(0, k).filter((id) => (judgements.get(id) ?? 0) > 0));
  return found.size / relevant;
};

/** Reciprocal rank of the first relevant document within the first k, else 0 (BEIR's mrr). */
export const reciprocalRankAt = (ranking: readonly string[], judgements: Judgements, k: number): number => {
  const at = ranking.slice(0, k).findIndex((id) => (judgements.get(id) ?? 0) > 0);
  return at < 0 ? 0 : 1 / (at + 1);
};

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Mean metrics over every judged query. The rankings are taken in the order given (both systems
 * return them sorted); a judged query without a ranking scores 0. As BEIR's `ignore_identical_ids`
 * (on by default), a document whose id is the query's own is dropped: in collections where queries
 * are documents too, it would otherwise find itself.
 */
export const meanMetrics = (rankings: ReadonlyMap<string, readonly string[]>, qrels: ReadonlyMap<string, Judgements>): RetrievalMetrics => {
  let ndcg = 0;
  let recall = 0;
  let mrr = 0;
  for (const [queryId, judgements] of qrels) {
    const ranking = (rankings.get(queryId) ?? []).filter((id) => id !== queryId);
    ndcg += ndcgAt(ranking, judgements, 10);
    recall += recallAt(ranking, judgements, 100);
    mrr += reciprocalRankAt(ranking, judgements, 10);
  }
  const count = Math.max(1, qrels.size);
  return { ndcg10: round(ndcg / count), recall100: round(recall / count), mrr10: round(mrr / count) };
};

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

// BEIR ids are strings, but some converted sets write numbers; both are read as text.
const idSchema = z.union([z.string(), z.number()]).transform(String);
const documentSchema = z.object({ _id: idSchema, title: z.string().nullish(), text: z.string().nullish() });
const querySchema = z.object({ _id: idSchema, text: z.string() });

const readJsonLines = async <T>(path: string, schema: z.ZodType<T>): Promise<T[]> => {
  const rows: T[] = [];
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines.forEach((line, index) => {
    if (!line.trim()) {
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AppError('validation.failed', `${path}:${index + 1}: not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new AppError('validation.failed', `${path}:${index + 1}: ${parsed.error.issues.map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ')}`);
    }
    rows.push(parsed.data);
  });
  return rows;
};

/** Reads qrels TSV (query-id, corpus-id, score), with or without BEIR's header line. */
export const parseQrels = (text: string, source = 'qrels'): Map<string, Map<string, number>> => {
  const qrels = new Map<string, Map<string, number>>();
  text.split('\n').forEach((line, index) => {
    const trimmed = line.replace(/\r$/, '');
    if (!trimmed.trim()) {
      return;
    }
    const [queryId, documentId, score] = trimmed.split('\t');
    const grade = Number(score);
    if (index === 0 && !Number.isFinite(grade)) {
      return;
    }
    if (!queryId || !documentId || score === undefined || !Number.isInteger(grade)) {
      throw new AppError('validation.failed', `${source}:${index + 1}: expected query-id, corpus-id and an integer score separated by tabs`);
    }
    const judgements = qrels.get(queryId) ?? new Map<string, number>();
    judgements.set(documentId, grade);
    qrels.set(queryId, judgements);
  });
  return qrels;
};

export interface BeirPaths {
  corpus: string;
  queries: string;
  qrels: string;
}

/** Loads a BEIR collection; only queries with judgements are kept, as BEIR's GenericDataLoader does. */
export const loadBeir = async (paths: BeirPaths): Promise<BeirCollection> => {
  for (const path of [paths.corpus, paths.queries, paths.qrels]) {
    if (!existsSync(path)) {
      throw new AppError('validation.failed', `No such file: ${path}`);
    }
  }
  const corpus = (await readJsonLines(paths.corpus, documentSchema)).map((row) => ({ id: row._id, title: row.title ?? '', text: row.text ?? '' }));
  const allQueries = new Map((await readJsonLines(paths.queries, querySchema)).map((row) => [row._id, row.text]));
  const qrels = parseQrels(await readFile(paths.qrels, 'utf8'), paths.qrels);
  const missing = [...qrels.keys()].filter((id) => !allQueries.has(id));
  if (missing.length > 0) {
    throw new AppError('validation.failed', `${missing.length} judged queries are not in ${paths.queries} (first: ${missing[0]})`);
  }
  const queries = [...qrels.keys()].map((id) => ({ id, text: allQueries.get(id) ?? '' }));
  return { corpus, queries, qrels };
};

// ---------------------------------------------------------------------------------------------
// Our index
// ---------------------------------------------------------------------------------------------

const beirLibrary = 'beir' as LibraryId;

/**
 * Builds the evidence index over the corpus. The index keeps no text, so RM3 and phrase checks get
 * it from the corpus in memory through the TextLoader, as the product gets it from the database.
 */
export const buildIndex = (corpus: readonly BeirDocument[], settings: Partial<IndexSettings> = {}): InMemoryEvidenceIndex => {
  const texts = new Map(corpus.map((document) => [document.id, `${document.title}\n${document.text}`]));
  const index = new InMemoryEvidenceIndex(async (ids) => new Map(ids.map((id) => [id as string, texts.get(id) ?? ''])), settings);
  index.upsert(
    corpus.map(
      (document): IndexedDocument => ({
        id: document.id as RecordId,
        libraryId: beirLibrary,
        title: document.title,
        abstract: document.text,
        keywords: [],
        year: undefined,
        design: 'other',
        level: undefined,
      }),
    ),
  );
  return index;
};

/** Top `limit` ids per query. Boosts stay off: a BEIR corpus has no years or evidence levels. */
export const searchAll = async (index: InMemoryEvidenceIndex, queries: readonly BeirQuery[], expand: boolean, limit = 100): Promise<Map<string, string[]>> => {
  const rankings = new Map<string, string[]>();
  for (const query of queries) {
    const result = await index.search({ text: query.text, limit, expand });
    rankings.set(query.id, result.hits.map((hit) => hit.id as string));
  }
  return rankings;
};

// ---------------------------------------------------------------------------------------------
// Baseline: SQLite FTS5 bm25()
// ---------------------------------------------------------------------------------------------

export const SQLITE_PATH = '/usr/bin/sqlite3';

/**
 * The query's words as FTS5's unicode61 tokenizer would split them (letters, digits and private-use
 * characters), so that each quoted string is one token rather than a phrase.
 */
export const baselineTokens = (text: string): string[] => [...text.matchAll(/[\p{L}\p{N}\p{Co}]+/gu)].map((match) => match[0]);

/**
 * An FTS5 MATCH expression that ORs the query's tokens. Each token is a double-quoted FTS5 string
 * (quotes doubled inside), so words such as OR, NOT or NEAR, and characters such as * or ^, are
 * searched as text instead of read as syntax. Empty when the query has no words.
 */
export const fts5Query = (text: string): string =>
  baselineTokens(text)
    .map((token) => `"${token.replace(/"/g, '""')}"`)
    .join(' OR ');

/** A SQL string literal (single quotes doubled); control characters become spaces, which FTS5 and we both treat as separators. */
export const sqlString = (value: string): string => `'${value.replace(/[\u0000-\u001f]/g, ' ').replace(/'/g, "''")}'`;

export interface BaselineRun {
  engine: string;
  rankings: Map<string, string[]>;
}

/**
 * The query without the words of our stop list, for a second baseline run: FTS5 has no stop list,
 * so a plain run lets "how", "your" or "through" score (with a high IDF, as the preprocessed corpus
 * dropped most of them); this run shows how much of our lead is only the stop list.
 */
export const withoutStopWords = (text: string): string =>
  baselineTokens(text)
    .filter((token) => !stopWords.has(token.toLowerCase()))
    .join(' ');

const execFileAsync = promisify(execFile);

/**
 * Plain BM25 in SQLite FTS5 over the same documents: title and text as two columns, the default
 * `porter unicode61` tokenizer, bm25() with equal column weights (k1 1.2, b 0.75 over the whole row),
 * each query an OR of its tokens, top `limit`. One sqlite3 process runs a script that builds the
 * table and answers every query of every run, so the baseline costs about a second, not a process
 * per query. Returns one ranking map per run, in the order given.
 */
export const runSqliteBaseline = async (
  corpus: readonly BeirDocument[],
  runs: readonly (readonly BeirQuery[])[],
  options: { sqlitePath?: string; limit?: number } = {},
): Promise<{ engine: string; rankings: Map<string, string[]>[] }> => {
  const sqlitePath = options.sqlitePath ?? SQLITE_PATH;
  const limit = options.limit ?? 100;
  const lines = ['.bail on', '.headers off', '.mode tabs', "SELECT 'version', sqlite_version();", "CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize = 'porter unicode61');", 'BEGIN;'];
  // Row ids are positions in the corpus, so the output needs no parsing of document ids.
  const batch = 200;
  for (let start = 0; start < corpus.length; start += batch) {
    const values = corpus.slice(start, start + batch).map((document, offset) => `(${start + offset + 1}, ${sqlString(document.title)}, ${sqlString(document.text)})`);
    lines.push(`INSERT INTO docs(rowid, title, text) VALUES ${values.join(',\n')};`);
  }
  lines.push('COMMIT;');
  runs.forEach((queries, run) => {
    queries.forEach((query, number) => {
      const match = fts5Query(query.text);
      if (match) {
        // bm25() is smaller for better matches; rowid breaks ties so runs repeat exactly.
        lines.push(`SELECT ${run}, ${number}, rowid FROM docs WHERE docs MATCH ${sqlString(match)} ORDER BY bm25(docs), rowid LIMIT ${limit};`);
      }
    });
  });
  const dir = await mkdtemp(join(tmpdir(), 'mobilise-fts5-'));
  try {
    const script = join(dir, 'baseline.sql');
    await writeFile(script, `${lines.join('\n')}\n`);
    let stdout: string;
    try {
      ({ stdout } = await execFileAsync(sqlitePath, ['-batch', ':memory:', `.read '${script}'`], { maxBuffer: 256 * 1024 * 1024 }));
    } catch (error) {
      const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
      throw new Error(`${sqlitePath} failed on the FTS5 baseline: ${stderr.trim() || (error instanceof Error ? error.message : String(error))}`);
    }
    let version = '';
    const rankings = runs.map((queries) => new Map<string, string[]>(queries.map((query) => [query.id, []])));
    for (const line of stdout.split('\n')) {
      const [first, second, third] = line.split('\t');
      if (first === 'version' && second !== undefined) {
        version = second.trim();
        continue;
      }
      if (first === undefined || second === undefined || third === undefined) {
        continue;
      }
      const query = runs[Number(first)]?.[Number(second)];
      const document = corpus[Number(third) - 1];
      if (query && document) {
        rankings[Number(first)]?.get(query.id)?.push(document.id);
      }
    }
    return { engine: `sqlite-fts5-bm25 ${version}`.trim(), rankings };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

// ---------------------------------------------------------------------------------------------
// Fallback baseline: PostgreSQL ts_rank_cd
// ---------------------------------------------------------------------------------------------

/** What the PostgreSQL baseline needs of a client: one connection (it uses a temporary table). */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

const versionRow = z.object({ server_version: z.string() });
const rankRow = z.object({ n: z.coerce.number() });

/**
 * PostgreSQL full-text search over the same documents, ranked by ts_rank_cd, for machines without
 * sqlite3. Weaker than BM25 (ts_rank_cd has no IDF; DESIGN.md, known pitfalls), so the engine
 * string says which baseline was used. Each query is an OR of its tokens under the `english`
 * configuration (Snowball stemming, stop words dropped).
 */
export const runPostgresBaseline = async (client: SqlClient, collection: Pick<BeirCollection, 'corpus' | 'queries'>, options: { limit?: number } = {}): Promise<BaselineRun> => {
  const limit = options.limit ?? 100;
  const version = versionRow.parse((await client.query('SHOW server_version')).rows[0]).server_version;
  await client.query('CREATE TEMPORARY TABLE mobilise_retrieval_baseline (n integer PRIMARY KEY, doc tsvector NOT NULL)');
  try {
    const batch = 500;
    for (let start = 0; start < collection.corpus.length; start += batch) {
      const slice = collection.corpus.slice(start, start + batch);
      await client.query(
        `INSERT INTO mobilise_retrieval_baseline (n, doc)
         SELECT n, to_tsvector('english', title || ' ' || body) FROM unnest($1::integer[], $2::text[], $3::text[]) AS t(n, title, body)`,
        [slice.map((_, offset) => start + offset), slice.map((document) => document.title), slice.map((document) => document.text)],
      );
    }
    await client.query('CREATE INDEX ON mobilise_retrieval_baseline USING gin (doc)');
    const rankings = new Map<string, string[]>();
    for (const query of collection.queries) {
      const tokens = baselineTokens(query.text);
      const ranking: string[] = [];
      if (tokens.length > 0) {
        // Tokens are letters and digits only, so joined with | they are valid to_tsquery input.
        const result = await client.query(
          `SELECT n FROM mobilise_retrieval_baseline, to_tsquery('english', $1) AS q WHERE doc @@ q ORDER BY ts_rank_cd(doc, q) DESC, n LIMIT $2`,
          [tokens.join(' | '), limit],
        );
        for (const row of result.rows) {
          const document = collection.corpus[rankRow.parse(row).n];
          if (document) {
            ranking.push(document.id);
          }
        }
      }
      rankings.set(query.id, ranking);
    }
    return { engine: `postgresql-ts_rank_cd ${version}`, rankings };
  } finally {
    await client.query('DROP TABLE IF EXISTS mobilise_retrieval_baseline');
  }
};

// ---------------------------------------------------------------------------------------------
// The whole evaluation
// ---------------------------------------------------------------------------------------------

export interface RetrievalEvalOptions {
  /** Whether the headline figures use RM3 (both variants are always measured). */
  expand?: boolean;
  settings?: Partial<IndexSettings>;
  sqlitePath?: string;
  /** Used only when sqlite3 is missing: runs the PostgreSQL ts_rank_cd baseline through this client. */
  postgres?: () => Promise<SqlClient & { end(): Promise<void> }>;
  progress?: (message: string) => void;
}

const secondsSince = (start: number): number => Math.round((performance.now() - start) / 10) / 100;

export const evaluateRetrieval = async (paths: BeirPaths, options: RetrievalEvalOptions = {}): Promise<RetrievalEvaluation> => {
  const progress = options.progress ?? (() => undefined);
  const expand = options.expand ?? true;
  const started = performance.now();
  const collection = await loadBeir(paths);
  const load = secondsSince(started);
  progress(`${collection.corpus.length} documents, ${collection.queries.length} judged queries`);

  let mark = performance.now();
  const index = buildIndex(collection.corpus, options.settings);
  const indexSeconds = secondsSince(mark);

  mark = performance.now();
  const rm3 = meanMetrics(await searchAll(index, collection.queries, true), collection.qrels);
  const rm3Seconds = secondsSince(mark);
  mark = performance.now();
  const noRm3 = meanMetrics(await searchAll(index, collection.queries, false), collection.qrels);
  const noRm3Seconds = secondsSince(mark);
  progress(`ours: nDCG@10 ${rm3.ndcg10} with RM3, ${noRm3.ndcg10} without`);

  mark = performance.now();
  const sqlitePath = options.sqlitePath ?? SQLITE_PATH;
  let baselineRun: BaselineRun;
  let stoppedRun: Map<string, string[]> | undefined;
  if (existsSync(sqlitePath)) {
    const stopped = collection.queries.map((query) => ({ id: query.id, text: withoutStopWords(query.text) }));
    const { engine, rankings } = await runSqliteBaseline(collection.corpus, [collection.queries, stopped], { sqlitePath });
    baselineRun = { engine, rankings: rankings[0] ?? new Map() };
    stoppedRun = rankings[1];
  } else if (options.postgres) {
    progress(`${sqlitePath} is missing: the baseline is PostgreSQL ts_rank_cd, which is weaker than BM25 (no IDF)`);
    const client = await options.postgres();
    try {
      baselineRun = await runPostgresBaseline(client, collection);
    } finally {
      await client.end();
    }
  } else {
    throw new AppError('validation.failed', `No baseline engine: ${sqlitePath} is missing (apt-get install sqlite3), and no PostgreSQL URL was given (--baseline-url or TEST_DATABASE_URL)`);
  }
  const baseline = meanMetrics(baselineRun.rankings, collection.qrels);
  const baselineSeconds = secondsSince(mark);
  progress(`${baselineRun.engine}: nDCG@10 ${baseline.ndcg10}`);

  const headline = expand ? rm3 : noRm3;
  const corpusIds = new Set(collection.corpus.map((document) => document.id));
  const judged = [...collection.qrels.values()].flatMap((judgements) => [...judgements.keys()]);
  return {
    queries: collection.queries.length,
    ...headline,
    baseline: { engine: baselineRun.engine, ...baseline },
    ndcg10Gain: baseline.ndcg10 > 0 ? round(headline.ndcg10 / baseline.ndcg10 - 1) : 0,
    documents: collection.corpus.length,
    judgements: judged.length,
    missingJudgedDocuments: new Set(judged.filter((id) => !corpusIds.has(id))).size,
    expand,
    settings: index.settings,
    variants: { rm3, noRm3, ...(stoppedRun ? { baselineWithoutStopWords: meanMetrics(stoppedRun, collection.qrels) } : {}) },
    seconds: secondsSince(started),
    timings: { load, index: indexSeconds, rm3: rm3Seconds, noRm3: noRm3Seconds, baseline: baselineSeconds },
  };
};
