import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Latency of one class of queries, in milliseconds (nearest-rank percentiles). */
export interface LatencySummary {
  queries: number;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

export const summarise = (milliseconds: readonly number[], queries: number): LatencySummary => {
  const sorted = [...milliseconds].sort((left, right) => left - right);
  return {
    queries,
    samples: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
};

export interface MemorySnapshot {
  rssMb: number;
  heapUsedMb: number;
  /** Typed arrays live outside the V8 heap: the index's postings are counted here, not in heapUsed. */
  arrayBuffersMb: number;
  externalMb: number;
}

/** Memory after a full collection (the child runs with --expose-gc), so that garbage is not counted. */
export const memoryNow = (): MemorySnapshot => {
  globalThis.gc?.();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1_048_576);
  return { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed), arrayBuffersMb: mb(usage.arrayBuffers), externalMb: mb(usage.external) };
};

export const seconds = (start: number): number => round((performance.now() - start) / 1000, 2);

export const progress = (message: string): void => {
  process.stderr.write(`[bench:search] ${message}\n`);
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface Hotspot {
  function: string;
  where: string;
  selfPercent: number;
}

/** CPU profile of `work` only (not of the build around it), saved for DevTools and summarised by self time. */
export const profiled = async <T>(path: string, work: () => Promise<T>): Promise<{ result: T; hotspots: Hotspot[] }> => {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  writeFileSync(path, JSON.stringify(profile));
  const self = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'}\t${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  const hotspots = [...self]
    .sort((left, right) => right[1] - left[1])
    .slice(0, 15)
    .map(([key, hits]) => {
      const [name, where] = key.split('\t');
      return { function: name ?? '', where: where ?? '', selfPercent: round((100 * hits) / Math.max(1, total), 1) };
    });
  return { result, hotspots };
};

export type QueryClass = 'short' | 'need';

export interface QueryRun {
  latency: Record<QueryClass, LatencySummary>;
  /** Top-10 document numbers per query (first measured pass), to compare what the engines return. */
  top: number[][];
  /** Milliseconds per query and pass, so that engines can be compared on the same subset of queries. */
  times: number[][];
}

/**
 * Runs every query `passes` times after a warm-up (the first `warmup` queries of each class, once,
 * unmeasured: caches, JIT and prepared statements settle). Each query is timed on its own, from the
 * call to the settled result.
 */
export const measureQueries = async <Q extends { kind: QueryClass }>(
  queries: readonly Q[],
  run: (query: Q) => Promise<number[]> | number[],
  options: { warmup: number; passes: number },
): Promise<QueryRun> => {
  for (const kind of ['short', 'need'] as const) {
    for (const query of queries.filter((entry) => entry.kind === kind).slice(0, options.warmup)) {
      await run(query);
    }
  }
  const times: Record<QueryClass, number[]> = { short: [], need: [] };
  const top: number[][] = [];
  const perQuery: number[][] = queries.map(() => []);
  for (let pass = 0; pass < options.passes; pass += 1) {
    for (const [index, query] of queries.entries()) {
      const start = performance.now();
      const docs = await run(query);
      const elapsed = performance.now() - start;
      times[query.kind].push(elapsed);
      perQuery[index]?.push(round(elapsed, 4));
      if (pass === 0) {
        top[index] = docs;
      }
    }
  }
  const count = (kind: QueryClass) => queries.filter((query) => query.kind === kind).length;
  return { latency: { short: summarise(times.short, count('short')), need: summarise(times.need, count('need')) }, top, times: perQuery };
};
