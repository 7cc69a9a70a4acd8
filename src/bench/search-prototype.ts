import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InMemoryEvidenceIndex, defaultSettings, type IndexState } from '../adapters/search/evidence-index.js';
import { parseQuery } from '../adapters/search/query.js';
import { loadSnapshot, saveSnapshot } from '../adapters/search/snapshot.js';
import { CorpusGenerator, learnCorpus, type BenchQuery } from './search-corpus.js';
import { measureQueries, memoryNow, progress, type QueryRun } from './search-measure.js';
import { TopK } from '../adapters/search/postings.js';

/**
 * `node --expose-gc dist/bench/search-prototype.js --docs 100000 [--snapshot /tmp/x.bin] [--passes 3]`
 * (the snapshot caches the built index between runs).
 *
 * Not a product path: evidence for the index's owner. Scores the benchmark's queries over the same
 * index state (exportState) in other ways and compares them with InMemoryEvidenceIndex.search:
 *   exhaustive-impacts  every posting scored, but from a precomputed per-posting impact
 *                       tf·(k1+1)/(k1+tf) (one multiply-add a posting instead of three divisions);
 *   maxscore            the same impacts with MaxScore pruning (Turtle & Flood 1995): terms by
 *                       descending upper bound; once no unseen document can reach the current 10th
 *                       score, the remaining (common) terms only update the surviving candidates,
 *                       found by galloping search. Exact top 10, but no exact count of matches;
 *   dense-impacts       impacts added into a dense per-document score array (no bookkeeping of
 *                       which documents were touched), then one scan of all documents for the best 10;
 *   dense, idf ≥ 1      the same, skipping terms in more than ~37% of documents (approximate).
 * BM25F as the index computes it (k1, field weights, its cached per-field norms, its idf).
 */

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const docs = Number(option('docs', '100000'));
const snapshotPath = option('snapshot', '');
const dataDir = option('data', fileURLToPath(new URL('../../../shared/data', import.meta.url)));

const { model, queries } = learnCorpus(dataDir, { seed: 42, shortQueries: 300, needQueries: 300 });
let index: InMemoryEvidenceIndex;
const loaded = snapshotPath && existsSync(snapshotPath) ? loadSnapshot(snapshotPath) : undefined;
if (loaded && loaded.index.size() === docs) {
  index = loaded.index;
  progress(`prototype: loaded ${docs} documents from ${snapshotPath}`);
} else {
  const generator = new CorpusGenerator(model);
  index = new InMemoryEvidenceIndex();
  for (let start = 0; start < docs; start += 10_000) {
    index.upsert(Array.from({ length: Math.min(10_000, docs - start) }, (_, offset) => generator.document(start + offset)));
  }
  if (snapshotPath) {
    saveSnapshot(index, snapshotPath, 0);
  }
  progress(`prototype: built ${docs} documents`);
}

const state: IndexState = index.exportState();
const { k1, weights } = defaultSettings;
const termNumber = new Map(state.terms.map((term, position) => [term, position]));
const count = state.liveCount + state.deadCount;
const totalPostings = state.docs.length;

// Per-posting impacts and per-term maxima, computed once from the cached norms (as a build would,
// and again whenever the norms are recomputed).
const before = memoryNow();
const impacts = new Float32Array(totalPostings);
const maxImpact = new Float32Array(state.terms.length);
for (let term = 0; term < state.terms.length; term += 1) {
  let max = 0;
  for (let at = state.offsets[term] ?? 0; at < (state.offsets[term + 1] ?? 0); at += 1) {
    const doc = state.docs[at] ?? 0;
    const tf =
      (weights[0] * (state.frequencies[at * 3] ?? 0)) / (state.norms[doc * 3] ?? 1) +
      (weights[1] * (state.frequencies[at * 3 + 1] ?? 0)) / (state.norms[doc * 3 + 1] ?? 1) +
      (weights[2] * (state.frequencies[at * 3 + 2] ?? 0)) / (state.norms[doc * 3 + 2] ?? 1);
    const impact = (tf * (k1 + 1)) / (k1 + tf);
    impacts[at] = impact;
    max = Math.max(max, impact);
  }
  maxImpact[term] = max;
}
const impactMb = Math.round((totalPostings * 4) / 1_048_576);

interface QueryTerm {
  term: number;
  start: number;
  end: number;
  weight: number;
  upper: number;
}

const queryTerms = (text: string): QueryTerm[] => {
  const found: QueryTerm[] = [];
  for (const [term, frequency] of parseQuery(text).weights) {
    const number = termNumber.get(term);
    if (number === undefined) {
      continue;
    }
    const start = state.offsets[number] ?? 0;
    const end = state.offsets[number + 1] ?? 0;
    const df = end - start;
    const weight = Math.log(1 + (count - df + 0.5) / (df + 0.5)) * frequency;
    found.push({ term: number, start, end, weight, upper: weight * (maxImpact[number] ?? 0) });
  }
  return found;
};

const scores = new Float64Array(count);
const seen = new Uint8Array(count);
const touched = new Uint32Array(count);

const exhaustive = (text: string): number[] => {
  let touchedCount = 0;
  for (const { start, end, weight } of queryTerms(text)) {
    for (let at = start; at < end; at += 1) {
      const doc = state.docs[at] ?? 0;
      if (seen[doc] === 0) {
        seen[doc] = 1;
        scores[doc] = weight * (impacts[at] ?? 0);
        touched[touchedCount++] = doc;
      } else {
        scores[doc] = (scores[doc] ?? 0) + weight * (impacts[at] ?? 0);
      }
    }
  }
  const top = new TopK(10);
  for (let position = 0; position < touchedCount; position += 1) {
    const doc = touched[position] ?? 0;
    top.push(scores[doc] ?? 0, doc);
    seen[doc] = 0;
  }
  return top.sorted().map((entry) => entry.doc);
};

const dense = new Float32Array(count);

/**
 * Dense accumulation: every posting adds into a score array indexed by document, with no "seen"
 * bookkeeping (a branch-free loop), then one scan of all documents for the 10 best, which also
 * clears the array. At a million documents the scan is about a millisecond; a need-length query
 * touches most documents anyway. `minIdf` drops terms rarer than nothing: e.g. 1.0 skips terms in
 * more than ~37% of documents (an approximation: it changes the ranking a little).
 */
const denseScore = (text: string, minIdf = 0): number[] => {
  for (const { start, end, weight, term } of queryTerms(text)) {
    const df = end - start;
    if (Math.log(1 + (count - df + 0.5) / (df + 0.5)) < minIdf && term >= 0) {
      continue;
    }
    for (let at = start; at < end; at += 1) {
      const doc = state.docs[at] ?? 0;
      dense[doc] = (dense[doc] ?? 0) + weight * (impacts[at] ?? 0);
    }
  }
  const top = new TopK(10);
  let floor = 0;
  for (let doc = 0; doc < count; doc += 1) {
    const score = dense[doc] ?? 0;
    if (score > floor) {
      top.push(score, doc);
      if (top.size === 10) {
        floor = top.floor;
      }
    }
  }
  dense.fill(0);
  return top.sorted().map((entry) => entry.doc);
};

/** The 10th best of the candidates' scores so far (a lower bound of the final 10th best): phase 2, few candidates. */
const threshold = (candidates: Uint32Array, size: number): number => {
  if (size < 10) {
    return 0;
  }
  const top = new TopK(10);
  for (let position = 0; position < size; position += 1) {
    const doc = candidates[position] ?? 0;
    top.push(scores[doc] ?? 0, doc);
  }
  return top.floor;
};

/** First index in [from, end) whose doc is ≥ target: exponential then binary search. */
const gallop = (target: number, from: number, end: number): number => {
  let step = 1;
  let low = from;
  let high = from;
  while (high < end && (state.docs[high] ?? 0) < target) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  high = Math.min(high, end);
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((state.docs[middle] ?? 0) < target) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
};

const topMark = new Uint8Array(count);

const maxscore = (text: string): number[] => {
  const terms = queryTerms(text).sort((left, right) => right.upper - left.upper);
  const remaining = new Float64Array(terms.length + 1);
  for (let position = terms.length - 1; position >= 0; position -= 1) {
    remaining[position] = (remaining[position + 1] ?? 0) + (terms[position]?.upper ?? 0);
  }
  let size = 0;
  let next = 0;
  let floor = 0;
  let best: number[] = [];
  // Phase 1: terms that can still bring in new documents, scored exhaustively.
  for (; next < terms.length; next += 1) {
    if (best.length >= 10 && floor >= (remaining[next] ?? 0)) {
      break;
    }
    const { start, end, weight } = terms[next] as QueryTerm;
    for (let at = start; at < end; at += 1) {
      const doc = state.docs[at] ?? 0;
      if (seen[doc] === 0) {
        seen[doc] = 1;
        scores[doc] = weight * (impacts[at] ?? 0);
        touched[size++] = doc;
      } else {
        scores[doc] = (scores[doc] ?? 0) + weight * (impacts[at] ?? 0);
      }
    }
    // Scores only grow, and only this term's documents changed: the new 10 best are among the
    // old 10 best and this term's documents. One more pass over its postings, no pass over all.
    const top = new TopK(10);
    for (const doc of best) {
      topMark[doc] = 1;
      top.push(scores[doc] ?? 0, doc);
    }
    for (let at = start; at < end; at += 1) {
      const doc = state.docs[at] ?? 0;
      if (topMark[doc] === 0) {
        top.push(scores[doc] ?? 0, doc);
      }
    }
    for (const doc of best) {
      topMark[doc] = 0;
    }
    best = top.sorted().map((entry) => entry.doc);
    floor = top.floor === -Infinity ? 0 : top.floor;
  }
  // Phase 2: only candidates that can still reach the 10th best, in document order, galloped into each remaining list.
  let candidates = touched.subarray(0, size);
  for (let position = 0; position < size; position += 1) {
    seen[touched[position] ?? 0] = 0;
  }
  if (next < terms.length) {
    const kept: number[] = [];
    for (const doc of candidates) {
      if ((scores[doc] ?? 0) + (remaining[next] ?? 0) > floor) {
        kept.push(doc);
      }
    }
    candidates = Uint32Array.from(kept).sort();
    for (; next < terms.length && candidates.length > 0; next += 1) {
      const { start, end, weight } = terms[next] as QueryTerm;
      let at = start;
      for (const doc of candidates) {
        at = gallop(doc, at, end);
        if (at >= end) {
          break;
        }
        if (state.docs[at] === doc) {
          scores[doc] = (scores[doc] ?? 0) + weight * (impacts[at] ?? 0);
        }
      }
      floor = Math.max(floor, threshold(candidates, candidates.length));
      const rest = remaining[next + 1] ?? 0;
      candidates = candidates.filter((doc) => (scores[doc] ?? 0) + rest >= floor);
    }
  }
  const top = new TopK(10);
  for (const doc of candidates) {
    top.push(scores[doc] ?? 0, doc);
  }
  return top.sorted().map((entry) => entry.doc);
};

const docOf = (id: string): number => Number.parseInt(id.slice(24), 16);
const options = { warmup: 300, passes: Number(option('passes', '3')) };
const reference = await measureQueries(queries, async (entry: BenchQuery) => (await index.search({ text: entry.text, limit: 10 })).hits.map((hit) => docOf(hit.id)), options);
const agreement = (run: QueryRun) => {
  const same = run.top.filter((top, position) => {
    const expected = new Set(reference.top[position] ?? []);
    return top.length === expected.size && top.every((doc) => expected.has(doc));
  }).length;
  return Math.round((same / queries.length) * 1000) / 1000;
};
const overlapWithIndex = (run: QueryRun) => {
  const shares = run.top.map((top, position) => {
    const expected = new Set(reference.top[position] ?? []);
    return expected.size === 0 ? 1 : top.filter((doc) => expected.has(doc)).length / expected.size;
  });
  return Math.round((shares.reduce((sum, share) => sum + share, 0) / Math.max(1, shares.length)) * 1000) / 1000;
};
const exhaustiveRun = await measureQueries(queries, (entry) => exhaustive(entry.text), options);
const maxscoreRun = await measureQueries(queries, (entry) => maxscore(entry.text), options);
const denseRun = await measureQueries(queries, (entry) => denseScore(entry.text), options);
const densePrunedRun = await measureQueries(queries, (entry) => denseScore(entry.text, 1), options);
const after = memoryNow();
const result = {
  docs,
  postings: totalPostings,
  impactsMb: impactMb,
  memory: { before, after },
  index: reference.latency,
  exhaustiveImpacts: { latency: exhaustiveRun.latency, sameTop10AsIndex: agreement(exhaustiveRun) },
  maxscore: { latency: maxscoreRun.latency, sameTop10AsIndex: agreement(maxscoreRun) },
  denseImpacts: { latency: denseRun.latency, sameTop10AsIndex: agreement(denseRun) },
  denseImpactsWithoutTermsIdfBelow1: { latency: densePrunedRun.latency, sameTop10AsIndex: agreement(densePrunedRun), meanTop10Overlap: overlapWithIndex(densePrunedRun) },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
progress(`load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
