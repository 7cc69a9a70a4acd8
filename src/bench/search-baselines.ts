import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type BetterSqlite3 from 'better-sqlite3';
import type { CorpusGenerator, BenchQuery } from './search-corpus.js';
import { measureQueries, progress, seconds, type QueryRun } from './search-measure.js';

/**
 * The baselines of the search benchmark, built over the same generated documents and asked the same
 * queries: SQLite FTS5 (through better-sqlite3, an optional dev dependency) and PostgreSQL full-text
 * search on the local server. Both get the configuration that favours them (noted in `settings`),
 * so that a speed-up over them is not an artefact of a poor setup.
 */

export interface BaselineResult {
  engine: 'sqlite-fts5' | 'postgresql';
  version: string;
  driver: string;
  settings: string[];
  buildSeconds: number;
  /** Of buildSeconds: loading rows (with tokenising), then index work after the load. */
  loadSeconds: number;
  indexSeconds: number;
  sizeMb: number;
  run: QueryRun;
  /** PostgreSQL: queries stopped by statement_timeout (timed at the timeout: their percentiles are lower bounds). */
  timeouts?: number;
}

export interface BaselineJob {
  docs: number;
  /** PostgreSQL statement_timeout in seconds, so that one slow query cannot hold the run for minutes. */
  timeoutSeconds: number;
  generator: CorpusGenerator;
  queries: BenchQuery[];
  warmup: number;
  passes: number;
}

const batchSize = 5000;

/** Generates documents in batches, counting generation time apart from the engine's. */
const batches = function* (generator: CorpusGenerator, docs: number, label: string) {
  for (let start = 0; start < docs; start += batchSize) {
    const end = Math.min(docs, start + batchSize);
    yield Array.from({ length: end - start }, (_, offset) => ({ doc: start + offset, ...generator.document(start + offset) }));
    if ((end / batchSize) % 20 === 0 || end === docs) {
      progress(`${label}: loaded ${end.toLocaleString('en-GB')} / ${docs.toLocaleString('en-GB')}`);
    }
  }
};

/** FTS5 query syntax: each term quoted (no operator can slip in), ORed. */
export const fts5Match = (terms: readonly string[]): string => terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(' OR ');

/** to_tsquery syntax: terms are letters and digits only (see contentTerms), ORed. */
export const tsqueryOf = (terms: readonly string[]): string => terms.filter((term) => /^[\p{L}\p{N}]+$/u.test(term)).join(' | ');

export const runSqlite = async (job: BaselineJob): Promise<BaselineResult | { skipped: string }> => {
  let Database: typeof BetterSqlite3;
  try {
    Database = (await import('better-sqlite3')).default;
  } catch (error) {
    return { skipped: `better-sqlite3 is not installed or did not build (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
  const path = join(tmpdir(), `mobilise-bench-fts5-${process.pid}.db`);
  rmSync(path, { force: true });
  const db = new Database(path);
  try {
    const settings = [
      "tokenize='porter unicode61 remove_diacritics 2' (stemming, like ours)",
      "content='' (contentless: the index keeps no text, like ours)",
      'column weights in bm25() as ours: title 2.5, abstract 1, keywords 1.5',
      "'optimize' after the load (one merged segment: FTS5's fastest state for queries)",
      'journal_mode OFF, synchronous OFF (build only), cache_size 2 GB, mmap_size 8 GB (the whole index in memory)',
    ];
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -2000000');
    db.pragma('mmap_size = 8589934592');
    db.exec("CREATE VIRTUAL TABLE docs USING fts5(title, abstract, keywords, content='', tokenize='porter unicode61 remove_diacritics 2')");
    const insert = db.prepare<[number, string, string, string]>('INSERT INTO docs(rowid, title, abstract, keywords) VALUES (?, ?, ?, ?)');
    const insertAll = db.transaction((rows: { doc: number; title: string; abstract: string; keywords: string[] }[]) => {
      for (const row of rows) {
        insert.run(row.doc + 1, row.title, row.abstract, row.keywords.join(' . '));
      }
    });
    let loadMs = 0;
    for (const rows of batches(job.generator, job.docs, 'sqlite')) {
      const start = performance.now();
      insertAll(rows);
      loadMs += performance.now() - start;
    }
    const indexStart = performance.now();
    db.exec("INSERT INTO docs(docs) VALUES ('optimize')");
    const indexSeconds = seconds(indexStart);
    const version = (db.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version;
    const search = db.prepare<[string], { rowid: number }>('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 2.5, 1.0, 1.5) LIMIT 10');
    progress(`sqlite: querying ${job.queries.length} queries × ${job.passes}`);
    const run = await measureQueries(job.queries, (query) => (query.terms.length === 0 ? [] : search.all(fts5Match(query.terms)).map((row) => row.rowid - 1)), job);
    const loadSeconds = Math.round(loadMs / 10) / 100;
    return {
      engine: 'sqlite-fts5',
      version,
      driver: 'better-sqlite3 (in process, synchronous)',
      settings,
      buildSeconds: Math.round((loadSeconds + indexSeconds) * 100) / 100,
      loadSeconds,
      indexSeconds,
      sizeMb: Math.round(statSync(path).size / 1_048_576),
      run,
    };
  } finally {
    db.close();
    rmSync(path, { force: true });
  }
};

const postgresDatabase = 'mobilise_bench_search';

export const runPostgres = async (job: BaselineJob, url: string): Promise<BaselineResult | { skipped: string }> => {
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `PostgreSQL not reachable at ${url} (${error instanceof Error ? error.message : String(error)})` };
  }
  await admin.query(`DROP DATABASE IF EXISTS ${postgresDatabase}`);
  await admin.query(`CREATE DATABASE ${postgresDatabase}`);
  const target = new URL(url);
  target.pathname = `/${postgresDatabase}`;
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    const settings = [
      "tsvector column: setweight(to_tsvector('english', title), 'A') || abstract 'B' || keywords 'C' (stored, generated at insert)",
      'GIN index on the tsvector, built after the load (maintenance_work_mem 2 GB); ANALYZE after',
      'UNLOGGED table (build only; queries unaffected)',
      "query: WHERE tsv @@ to_tsquery('english', 'a | b | …') ORDER BY ts_rank_cd(tsv, query) DESC LIMIT 10, a prepared statement",
      'jit off (the planner would JIT-compile the costlier OR queries, adding tens of milliseconds)',
      'timed at the client over a local TCP connection (ours and FTS5 run in process)',
    ];
    const version = ((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '').split(' ')[0] ?? '';
    await client.query('SET jit = off');
    settings.push(`statement_timeout ${job.timeoutSeconds} s (a stopped query counts at the timeout)`);
    await client.query("SET maintenance_work_mem = '2GB'");
    await client.query(`CREATE UNLOGGED TABLE docs (
      id integer PRIMARY KEY,
      title text NOT NULL,
      abstract text NOT NULL,
      keywords text NOT NULL,
      year smallint,
      design text,
      level smallint,
      tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', abstract), 'B') || setweight(to_tsvector('english', keywords), 'C')
      ) STORED
    )`);
    let loadMs = 0;
    for (const rows of batches(job.generator, job.docs, 'postgres')) {
      const start = performance.now();
      // One round trip a batch: arrays unnested server-side.
      await client.query(
        'INSERT INTO docs (id, title, abstract, keywords, year, design, level) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::smallint[])',
        [
          rows.map((row) => row.doc),
          rows.map((row) => row.title),
          rows.map((row) => row.abstract),
          rows.map((row) => row.keywords.join(' . ')),
          rows.map((row) => row.year ?? null),
          rows.map((row) => row.design),
          rows.map((row) => row.level ?? null),
        ],
      );
      loadMs += performance.now() - start;
    }
    progress('postgres: building the GIN index');
    const indexStart = performance.now();
    await client.query('CREATE INDEX docs_tsv ON docs USING gin (tsv)');
    await client.query('ANALYZE docs');
    const indexSeconds = seconds(indexStart);
    const size = await client.query<{ bytes: string }>("SELECT pg_total_relation_size('docs')::text AS bytes");
    progress(`postgres: querying ${job.queries.length} queries × ${job.passes}`);
    const text = "SELECT id FROM docs, to_tsquery('english', $1) AS query WHERE tsv @@ query ORDER BY ts_rank_cd(tsv, query) DESC LIMIT 10";
    await client.query(`SET statement_timeout = ${Math.round(job.timeoutSeconds * 1000)}`);
    let timeouts = 0;
    const run = await measureQueries(
      job.queries,
      async (query) => {
        const tsquery = tsqueryOf(query.terms);
        if (tsquery.length === 0) {
          return [];
        }
        try {
          const result = await client.query<{ id: number }>({ name: 'bench-search', text, values: [tsquery] });
          return result.rows.map((row) => row.id);
        } catch (error) {
          // 57014: query_canceled, here by statement_timeout.
          if (typeof error === 'object' && error !== null && 'code' in error && error.code === '57014') {
            timeouts += 1;
            return [];
          }
          throw error;
        }
      },
      job,
    );
    const loadSeconds = Math.round(loadMs / 10) / 100;
    return {
      engine: 'postgresql',
      version,
      driver: 'pg (node-postgres), prepared statement',
      settings,
      buildSeconds: Math.round((loadSeconds + indexSeconds) * 100) / 100,
      loadSeconds,
      indexSeconds,
      sizeMb: Math.round(Number(size.rows[0]?.bytes ?? 0) / 1_048_576),
      run,
      timeouts,
    };
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${postgresDatabase}`);
    await admin.end();
  }
};
