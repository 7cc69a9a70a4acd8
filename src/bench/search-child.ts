import { readFileSync, statSync } from 'node:fs';
import type { EvidenceIndex, SearchOptions } from '../core/evidence/search.js';
import { InMemoryEvidenceIndex } from '../adapters/search/evidence-index.js';
import { parseQuery } from '../adapters/search/query.js';
import { startOfFeed } from '../adapters/db/index-feed-repo.js';
import { loadSnapshot, saveSnapshot } from '../adapters/search/snapshot.js';
import { runPostgres, runSqlite, type BaselineResult } from './search-baselines.js';
import { CorpusGenerator, type BenchQuery, type CorpusModel } from './search-corpus.js';
import { measureQueries, memoryNow, percentile, profiled, progress, seconds, type Hotspot, type LatencySummary, type MemorySnapshot, type QueryClass, type QueryRun } from './search-measure.js';

/**
 * One engine at one corpus size, in a fresh process: its memory is its own (no other engine's
 * buffers, no corpus held), and a crash or an out-of-memory stops only this measurement.
 * `node search-child.js <job.json>`; prints one JSON object on stdout.
 */

export interface ChildJob {
  engine: 'ours' | 'load' | 'sqlite' | 'postgres';
  docs: number;
  modelPath: string;
  queriesPath: string;
  warmup: number;
  passes: number;
  /** Ours: where to save a snapshot (src/adapters/search/snapshot.ts); load: where to read it. */
  snapshotPath?: string;
  /** Ours: profile the measured queries into this .cpuprofile. */
  profilePath?: string;
  postgresUrl: string;
  timeoutSeconds: number;
}

export interface OursResult {
  engine: 'ours';
  buildSeconds: number;
  generationSeconds: number;
  /** peakBuildRssMb: the process's peak resident memory when the build ends (before the snapshot is written). */
  memory: { beforeBuild: MemorySnapshot; afterBuild: MemorySnapshot; peakBuildRssMb: number };
  run: QueryRun;
  /** The same queries with the product's default boosts (evidence level, recency) switched on. */
  boosted: Record<QueryClass, LatencySummary>;
  /** Mean documents matched (OR semantics: any term), the work a query must score. */
  meanMatched: Record<QueryClass, number>;
  /** Postings held by each query's terms, the dictionary's size, and mean latency per posting. */
  postingsPerQuery: ReturnType<typeof postingsPerQuery>;
  snapshot: { saveSeconds: number; fileMb: number } | { missing: string };
  hotspots?: Hotspot[];
  buildHotspots?: Hotspot[];
}

export interface LoadResult {
  engine: 'load';
  loadSeconds: number;
  memory: { beforeLoad: MemorySnapshot; afterLoad: MemorySnapshot };
  run: QueryRun;
}

const docOf = (id: string): number => Number.parseInt(id.slice(24), 16);

/** Runs the queries against an index (default options: no boosts, as the baselines have none; limit 10). */
const query = async (index: EvidenceIndex, queries: BenchQuery[], options: { warmup: number; passes: number }, extra: Partial<SearchOptions> = {}, totals?: Map<BenchQuery, number>) =>
  measureQueries(
    queries,
    async (entry) => {
      const result = await index.search({ text: entry.text, limit: 10, ...extra });
      totals?.set(entry, result.total);
      return result.hits.map((hit) => docOf(hit.id));
    },
    options,
  );

/** Builds the index in batches of 10,000 (as an import would hand them over), timing upsert alone. */
const build = (job: ChildJob, generator: CorpusGenerator) => {
  const index = new InMemoryEvidenceIndex();
  let buildMs = 0;
  let generationMs = 0;
  const batch = 10_000;
  for (let start = 0; start < job.docs; start += batch) {
    const generating = performance.now();
    const documents = Array.from({ length: Math.min(batch, job.docs - start) }, (_, offset) => generator.document(start + offset));
    const building = performance.now();
    generationMs += building - generating;
    index.upsert(documents);
    buildMs += performance.now() - building;
    if ((start / batch) % 10 === 9 || start + batch >= job.docs) {
      progress(`ours: indexed ${Math.min(job.docs, start + batch).toLocaleString('en-GB')} / ${job.docs.toLocaleString('en-GB')} (${(buildMs / 1000).toFixed(1)} s)`);
    }
  }
  return { index, buildSeconds: Math.round(buildMs / 10) / 100, generationSeconds: Math.round(generationMs / 10) / 100 };
};

/**
 * Postings a query's terms hold (the sum of their document frequencies): what an exhaustive OR
 * query must score, so latency per posting can be read off and compared across sizes.
 */
const postingsPerQuery = (index: InMemoryEvidenceIndex, queries: readonly BenchQuery[]): Record<QueryClass, { mean: number; p95: number; nsPerPosting: number }> & { terms: number } => {
  const postings = queries.map((entry) => [...parseQuery(entry.text).weights.keys()].reduce((sum, term) => sum + index.documentFrequency(term), 0));
  const of = (kind: QueryClass) => {
    const values = postings.filter((_, position) => queries[position]?.kind === kind).sort((left, right) => left - right);
    return { mean: Math.round(values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)), p95: percentile(values, 95), nsPerPosting: 0 };
  };
  return { short: of('short'), need: of('need'), terms: index.termCount() };
};

const buildOurs = async (job: ChildJob, generator: CorpusGenerator, queries: BenchQuery[]): Promise<OursResult> => {
  const beforeBuild = memoryNow();
  let built: ReturnType<typeof build>;
  let buildHotspots: Hotspot[] | undefined;
  if (job.profilePath) {
    const profile = await profiled(job.profilePath.replace(/\.cpuprofile$/, '-build.cpuprofile'), async () => build(job, generator));
    built = profile.result;
    buildHotspots = profile.hotspots;
  } else {
    built = build(job, generator);
  }
  const { index } = built;
  const peakBuildRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const afterBuild = memoryNow();
  progress(`ours: querying ${queries.length} queries × ${job.passes}`);
  const totals = new Map<BenchQuery, number>();
  let run: QueryRun;
  let hotspots: Hotspot[] | undefined;
  if (job.profilePath) {
    const profile = await profiled(job.profilePath, () => query(index, queries, job, {}, totals));
    run = profile.result;
    hotspots = profile.hotspots;
  } else {
    run = await query(index, queries, job, {}, totals);
  }
  const boosted = (await query(index, queries, job, { boosts: { evidenceLevel: true, recency: true, currentYear: 2025 } })).latency;
  const meanMatched = (kind: QueryClass) => {
    const matched = queries.filter((entry) => entry.kind === kind).map((entry) => totals.get(entry) ?? 0);
    return Math.round(matched.reduce((sum, value) => sum + value, 0) / Math.max(1, matched.length));
  };
  let snapshot: OursResult['snapshot'];
  if (job.snapshotPath) {
    const start = performance.now();
    saveSnapshot(index, job.snapshotPath, startOfFeed);
    snapshot = { saveSeconds: seconds(start), fileMb: Math.round(statSync(job.snapshotPath).size / 1_048_576) };
  } else {
    snapshot = { missing: 'no snapshot path given' };
  }
  const postings = postingsPerQuery(index, queries);
  for (const kind of ['short', 'need'] as const) {
    postings[kind].nsPerPosting = Math.round((run.latency[kind].mean * 1e6) / Math.max(1, postings[kind].mean));
  }
  return {
    engine: 'ours',
    buildSeconds: built.buildSeconds,
    generationSeconds: built.generationSeconds,
    memory: { beforeBuild, afterBuild, peakBuildRssMb },
    run,
    boosted,
    meanMatched: { short: meanMatched('short'), need: meanMatched('need') },
    postingsPerQuery: postings,
    snapshot,
    ...(hotspots ? { hotspots } : {}),
    ...(buildHotspots ? { buildHotspots } : {}),
  };
};

const loadOurs = async (job: ChildJob, queries: BenchQuery[]): Promise<LoadResult | { skipped: string }> => {
  if (!job.snapshotPath) {
    return { skipped: 'no snapshot path given' };
  }
  const beforeLoad = memoryNow();
  const start = performance.now();
  const loaded = loadSnapshot(job.snapshotPath);
  const loadSeconds = seconds(start);
  if (!loaded) {
    return { skipped: `loadSnapshot found no usable snapshot at ${job.snapshotPath}` };
  }
  const afterLoad = memoryNow();
  return { engine: 'load', loadSeconds, memory: { beforeLoad, afterLoad }, run: await query(loaded.index, queries, job) };
};

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ChildJob;
const model = JSON.parse(readFileSync(job.modelPath, 'utf8')) as CorpusModel;
const queries = JSON.parse(readFileSync(job.queriesPath, 'utf8')) as BenchQuery[];
const generator = new CorpusGenerator(model);
let result: OursResult | LoadResult | BaselineResult | { skipped: string };
switch (job.engine) {
  case 'ours':
    result = await buildOurs(job, generator, queries);
    break;
  case 'load':
    result = await loadOurs(job, queries);
    break;
  case 'sqlite':
    result = await runSqlite({ docs: job.docs, generator, queries, warmup: job.warmup, passes: job.passes, timeoutSeconds: job.timeoutSeconds });
    break;
  case 'postgres':
    result = await runPostgres({ docs: job.docs, generator, queries, warmup: job.warmup, passes: job.passes, timeoutSeconds: job.timeoutSeconds }, job.postgresUrl);
    break;
}
// Peak resident memory of the whole child (build included: postings grow by doubling, so the peak is above the end state).
process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
