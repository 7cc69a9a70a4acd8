import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { evidenceLevelOf, studyDesigns } from '../core/evidence/classify.js';
import type { IndexedDocument } from '../core/evidence/search.js';
import type { LibraryId, RecordId } from '../core/shared/ids.js';
import { parseQuery } from '../adapters/search/query.js';
import { stopWords, terms as indexTerms } from '../adapters/search/tokenize.js';
import { seededRandom } from './generate.js';

/**
 * The synthetic corpus of the search benchmark: a unigram model learnt from real abstracts (the
 * Cohen 2006 screening sets and the NFCorpus documents), sampled per document with a seeded PRNG,
 * so that every engine (ours, SQLite FTS5, PostgreSQL) and every child process sees the same
 * documents without anyone holding the whole corpus in memory.
 */

/** What the model learnt; written to a file so that child processes rebuild the same generator. */
export interface CorpusModel {
  seed: number;
  /** Vocabulary, most frequent first, with its observed counts (the Zipfian curve comes from these). */
  words: string[];
  counts: number[];
  /** Observed (title, abstract) lengths in words, as pairs from the same record, so their correlation is kept. */
  titleLengths: number[];
  abstractLengths: number[];
  /**
   * Chance that a content word repeats one already in the document (a Pólya urn). Pure unigram
   * sampling spreads every term over too many documents; real abstracts repeat their topic words.
   * Calibrated so that generated documents have the distinct/total content-word ratio of real ones.
   */
  burst: number;
  stats: {
    cohenRecords: number;
    cohenHeldOut: number;
    cohenEmptyAbstracts: number;
    nfcorpusDocuments: number;
    tokens: number;
    realMeanTitleWords: number;
    realMeanAbstractWords: number;
    realDistinctRatio: number;
    generatedDistinctRatio: number;
  };
}

export interface BenchQuery {
  kind: 'short' | 'need';
  text: string;
  /** Content words (stop words dropped, hyphenated words split, no repeats): what the baselines OR together. */
  terms: string[];
  source: string;
}

interface RealRecord {
  title: string;
  abstract: string;
}

const wordPattern = /[\p{L}\p{N}]+(?:[-‐‑][\p{L}\p{N}]+)*/gu;
const wordsOf = (text: string): string[] => text.toLowerCase().match(wordPattern) ?? [];

/** Content words of a text for the baselines' OR queries: FTS5 has no stop list, and "the" OR … would be unfair to it. */
export const contentTerms = (text: string): string[] => {
  const seen = new Set<string>();
  for (const word of wordsOf(text)) {
    for (const part of word.split(/[-‐‑]/)) {
      if (part.length > 0 && !stopWords.has(part)) {
        seen.add(part);
      }
    }
  }
  return [...seen];
};

const isContent = (word: string): boolean => !stopWords.has(word);

const distinctRatio = (words: readonly string[]): number | undefined => {
  const content = words.filter(isContent);
  return content.length < 20 ? undefined : new Set(content).size / content.length;
};

const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

const readCohen = (dir: string): RealRecord[] => {
  const records: RealRecord[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.csv')).sort()) {
    const rows: unknown = parse(readFileSync(join(dir, file)), { columns: true, skip_empty_lines: true });
    if (!Array.isArray(rows)) {
      continue;
    }
    for (const row of rows as unknown[]) {
      if (typeof row === 'object' && row !== null && 'title' in row && 'abstract' in row && typeof row.title === 'string' && typeof row.abstract === 'string' && row.title.length > 0) {
        records.push({ title: row.title, abstract: row.abstract });
      }
    }
  }
  return records;
};

const readJsonLines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Shuffles in place with the given PRNG (Fisher–Yates). */
const shuffle = <T>(items: T[], random: () => number): T[] => {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const item = items[index] as T;
    items[index] = items[other] as T;
    items[other] = item;
  }
  return items;
};

export interface LearntCorpus {
  model: CorpusModel;
  queries: BenchQuery[];
  validation: CorpusValidation;
}

/**
 * How the generated corpus compares with the real one it was learnt from, as the index sees them
 * (index terms: stemmed, stop words dropped), over as many generated documents as real ones. The
 * work a query costs is the postings of its terms: their document frequencies summed, per document.
 */
export interface CorpusValidation {
  documents: number;
  distinctTermsPerDocument: { real: number; generated: number };
  postingsPerQueryPerDocument: { short: { real: number; generated: number }; need: { real: number; generated: number } };
}

/**
 * Learns the model and draws the queries. Cohen records are split: `heldOut` of them never enter
 * the model and give the need-length queries (real sentences the corpus did not learn from); the
 * short queries come from the NFCorpus natural-language queries.
 */
export const learnCorpus = (dataDir: string, options: { seed: number; shortQueries: number; needQueries: number }): LearntCorpus => {
  const cohenDir = join(dataDir, 'screening', 'cohen2006');
  const nfcorpusDir = join(dataDir, 'retrieval', 'nfcorpus');
  if (!existsSync(cohenDir) || !existsSync(join(nfcorpusDir, 'corpus.jsonl'))) {
    throw new Error(`The benchmark learns its corpus from real abstracts: ${cohenDir} and ${nfcorpusDir} are needed (see ../shared/data/README.md).`);
  }
  const random = seededRandom(options.seed);
  const cohen = shuffle(readCohen(cohenDir), random);
  const heldOutCount = Math.min(Math.floor(cohen.length / 10), Math.max(600, options.needQueries * 2));
  const heldOut = cohen.slice(0, heldOutCount);
  const learnt = cohen.slice(heldOutCount);

  const counts = new Map<string, number>();
  let tokens = 0;
  const count = (words: readonly string[]) => {
    for (const word of words) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    tokens += words.length;
  };
  const titleLengths: number[] = [];
  const abstractLengths: number[] = [];
  const realRatios: number[] = [];
  let emptyAbstracts = 0;
  for (const record of learnt) {
    const title = wordsOf(record.title);
    const abstract = wordsOf(record.abstract);
    count(title);
    count(abstract);
    titleLengths.push(title.length);
    abstractLengths.push(abstract.length);
    if (abstract.length === 0) {
      emptyAbstracts += 1;
    }
    const ratio = distinctRatio([...title, ...abstract]);
    if (ratio !== undefined) {
      realRatios.push(ratio);
    }
  }
  // NFCorpus text is preprocessed (lower case, stop words removed, numbers replaced by "num"):
  // it widens the vocabulary (nutrition, not only drug classes) but its lengths would undercount,
  // so lengths and the repeat rate come from Cohen alone.
  const nfcorpus = readJsonLines(join(nfcorpusDir, 'corpus.jsonl'));
  for (const document of nfcorpus) {
    count(wordsOf(`${typeof document.title === 'string' ? document.title : ''} ${typeof document.text === 'string' ? document.text : ''}`).filter((word) => word !== 'num'));
  }
  const vocabulary = [...counts].sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1));
  const model: CorpusModel = {
    seed: options.seed,
    words: vocabulary.map(([word]) => word),
    counts: vocabulary.map(([, frequency]) => frequency),
    titleLengths,
    abstractLengths,
    burst: 0,
    stats: {
      cohenRecords: cohen.length,
      cohenHeldOut: heldOutCount,
      cohenEmptyAbstracts: emptyAbstracts,
      nfcorpusDocuments: nfcorpus.length,
      tokens,
      realMeanTitleWords: mean(titleLengths),
      realMeanAbstractWords: mean(abstractLengths),
      realDistinctRatio: mean(realRatios),
      generatedDistinctRatio: 0,
    },
  };
  calibrateBurst(model);

  const queries = [...shortQueries(readJsonLines(join(nfcorpusDir, 'queries.jsonl')), options.shortQueries, random), ...needQueries(heldOut, options.needQueries, random)];
  return { model, queries, validation: validate(model, learnt, queries) };
};

const validate = (model: CorpusModel, real: readonly RealRecord[], queries: readonly BenchQuery[]): CorpusValidation => {
  const generator = new CorpusGenerator(model);
  const documentFrequencies = (texts: Iterable<string>) => {
    const df = new Map<string, number>();
    let distinct = 0;
    for (const text of texts) {
      const unique = new Set(indexTerms(text));
      distinct += unique.size;
      for (const term of unique) {
        df.set(term, (df.get(term) ?? 0) + 1);
      }
    }
    return { df, distinct };
  };
  const realStats = documentFrequencies(real.map((record) => `${record.title} ${record.abstract}`));
  const generatedStats = documentFrequencies(
    (function* () {
      for (let doc = 0; doc < real.length; doc += 1) {
        const { title, abstract } = generator.text(doc);
        yield `${title} ${abstract}`;
      }
    })(),
  );
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const perQuery = (kind: BenchQuery['kind'], df: Map<string, number>) => {
    const chosen = queries.filter((query) => query.kind === kind);
    const postings = chosen.reduce((sum, query) => sum + [...parseQuery(query.text).weights.keys()].reduce((total, term) => total + (df.get(term) ?? 0), 0), 0);
    return round(postings / Math.max(1, chosen.length) / Math.max(1, real.length));
  };
  return {
    documents: real.length,
    distinctTermsPerDocument: { real: round(realStats.distinct / real.length), generated: round(generatedStats.distinct / real.length) },
    postingsPerQueryPerDocument: {
      short: { real: perQuery('short', realStats.df), generated: perQuery('short', generatedStats.df) },
      need: { real: perQuery('need', realStats.df), generated: perQuery('need', generatedStats.df) },
    },
  };
};

/** Generated distinct/total content-word ratio at a burst rate, over a fixed sample of documents. */
const generatedRatio = (model: CorpusModel, burst: number): number => {
  const generator = new CorpusGenerator({ ...model, burst, seed: model.seed + 7919 });
  const ratios: number[] = [];
  for (let doc = 0; doc < 600; doc += 1) {
    const document = generator.text(doc);
    const ratio = distinctRatio(wordsOf(`${document.title} ${document.abstract}`));
    if (ratio !== undefined) {
      ratios.push(ratio);
    }
  }
  return mean(ratios);
};

/** Bisection on the burst rate: more repeats, fewer distinct words; the ratio falls as the rate rises. */
const calibrateBurst = (model: CorpusModel): void => {
  let low = 0;
  let high = 0.95;
  for (let step = 0; step < 14; step += 1) {
    const middle = (low + high) / 2;
    if (generatedRatio(model, middle) > model.stats.realDistinctRatio) {
      low = middle;
    } else {
      high = middle;
    }
  }
  model.burst = Math.round(((low + high) / 2) * 1000) / 1000;
  model.stats.generatedDistinctRatio = generatedRatio(model, model.burst);
};

/**
 * Short queries (2–4 terms): NFCorpus's natural-language queries ("Do Cholesterol Statin Drugs Cause
 * Breast Cancer?"), cut to a seeded 2–4 content words taken in order from a random starting word;
 * queries with fewer content words than drawn keep all they have (at least two).
 */
const shortQueries = (rows: Record<string, unknown>[], wanted: number, random: () => number): BenchQuery[] => {
  const candidates = shuffle(
    rows.flatMap((row) => {
      // Content terms in order (hyphenated words split), so that a query's size is its number of terms.
      const words = contentTerms(typeof row.text === 'string' ? row.text : '');
      return words.length >= 2 ? [{ id: typeof row._id === 'string' ? row._id : '', words }] : [];
    }),
    random,
  );
  const queries: BenchQuery[] = [];
  for (let index = 0; queries.length < wanted && candidates.length > 0; index += 1) {
    const candidate = candidates[index % candidates.length];
    if (!candidate) {
      break;
    }
    const size = Math.min(candidate.words.length, 2 + Math.floor(random() * 3));
    const start = Math.floor(random() * (candidate.words.length - size + 1));
    const text = candidate.words.slice(start, start + size).join(' ');
    queries.push({ kind: 'short', text, terms: contentTerms(text), source: `nfcorpus:${candidate.id}` });
  }
  return queries;
};

/**
 * Need-length queries (20–60 content terms): real running text from held-out Cohen abstracts,
 * from a sentence start, until a seeded 20–60 content words are taken (title, then abstract).
 * Stop words and punctuation stay in, as a person writing a knowledge need would type them.
 */
const needQueries = (heldOut: readonly RealRecord[], wanted: number, random: () => number): BenchQuery[] => {
  const queries: BenchQuery[] = [];
  const usable = heldOut.filter((record) => contentTerms(record.abstract).length >= 70);
  /** The text up to the word where `target` distinct content terms have been seen, or undefined if it runs out first. */
  const prefixWith = (text: string, target: number): string | undefined => {
    const seen = new Set<string>();
    for (const match of text.matchAll(wordPattern)) {
      for (const term of contentTerms(match[0])) {
        seen.add(term);
      }
      if (seen.size >= target) {
        return text.slice(0, match.index + match[0].length);
      }
    }
    return undefined;
  };
  for (let index = 0; queries.length < wanted && index < usable.length; index += 1) {
    const record = usable[index];
    if (!record) {
      break;
    }
    const target = 20 + Math.floor(random() * 41);
    const sentences = record.abstract.split(/(?<=[.!?])\s+/);
    const first = Math.floor(random() * Math.max(1, sentences.length - 3));
    // Too near the end for the drawn size: from the title and the abstract's beginning instead.
    const text = prefixWith(sentences.slice(first).join(' '), target) ?? prefixWith(`${record.title} ${record.abstract}`, target);
    if (text !== undefined) {
      queries.push({ kind: 'need', text, terms: contentTerms(text), source: 'cohen2006:held-out' });
    }
  }
  return queries;
};

/** A 32-bit mix of the seed and a document number, so each document has its own PRNG stream. */
const mixSeed = (seed: number, doc: number): number => {
  let value = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(doc + 1, 0xc2b2ae35);
  value ^= value >>> 16;
  value = Math.imul(value, 0x7feb352d);
  value ^= value >>> 15;
  return value | 0;
};

const libraryId = '00000000-0000-4000-8000-00000000b001' as LibraryId;

/** The id of the n-th generated document, shaped like a stored UUID (ids are strings in the index). */
export const recordIdOf = (doc: number): RecordId => `00000000-0000-4000-9000-${doc.toString(16).padStart(12, '0')}` as RecordId;

/**
 * Generates document n deterministically. Words are drawn with Vose's alias method (O(1) a word:
 * a 1M corpus draws some 240M words per engine), by observed frequency.
 */
export class CorpusGenerator {
  private readonly probability: Float64Array;
  private readonly alias: Uint32Array;
  private readonly content: Uint8Array;
  private readonly pool: Uint32Array;
  private readonly words: string[];

  constructor(private readonly model: CorpusModel) {
    this.words = model.words;
    const size = model.words.length;
    this.probability = new Float64Array(size);
    this.alias = new Uint32Array(size);
    this.content = new Uint8Array(size);
    const total = model.counts.reduce((sum, value) => sum + value, 0);
    const scaled = new Float64Array(size);
    const small: number[] = [];
    const large: number[] = [];
    for (let word = 0; word < size; word += 1) {
      scaled[word] = ((model.counts[word] ?? 0) * size) / total;
      ((scaled[word] ?? 0) < 1 ? small : large).push(word);
      this.content[word] = isContent(model.words[word] ?? '') ? 1 : 0;
    }
    while (small.length > 0 && large.length > 0) {
      const less = small.pop() ?? 0;
      const more = large.pop() ?? 0;
      this.probability[less] = scaled[less] ?? 0;
      this.alias[less] = more;
      scaled[more] = (scaled[more] ?? 0) + (scaled[less] ?? 0) - 1;
      ((scaled[more] ?? 0) < 1 ? small : large).push(more);
    }
    for (const word of [...small, ...large]) {
      this.probability[word] = 1;
    }
    const longest = Math.max(...model.titleLengths) + Math.max(...model.abstractLengths);
    this.pool = new Uint32Array(longest + 1);
  }

  /** Title and abstract of document n. */
  text(doc: number): { title: string; abstract: string; random: () => number } {
    const random = seededRandom(mixSeed(this.model.seed, doc));
    const pair = Math.floor(random() * this.model.titleLengths.length);
    let poolSize = 0;
    const draw = (length: number): string => {
      const out: string[] = new Array<string>(length);
      for (let at = 0; at < length; at += 1) {
        const slot = Math.floor(random() * this.probability.length);
        let word = random() < (this.probability[slot] ?? 1) ? slot : (this.alias[slot] ?? slot);
        if (this.content[word] === 1) {
          if (poolSize > 0 && random() < this.model.burst) {
            word = this.pool[Math.floor(random() * poolSize)] ?? word;
          }
          this.pool[poolSize] = word;
          poolSize += 1;
        }
        out[at] = this.words[word] ?? '';
      }
      return out.join(' ');
    };
    const title = draw(this.model.titleLengths[pair] ?? 10);
    const abstract = draw(this.model.abstractLengths[pair] ?? 200);
    return { title, abstract, random };
  }

  /** Document n as the index sees it; year, design and level drawn at random (uniform). */
  document(doc: number): IndexedDocument {
    const { title, abstract, random } = this.text(doc);
    const design = studyDesigns[Math.floor(random() * studyDesigns.length)] ?? 'other';
    return {
      id: recordIdOf(doc),
      libraryId,
      title,
      abstract,
      // No real source gives a keywords/MeSH distribution for these records: left empty, the same for every engine.
      keywords: [],
      year: 1990 + Math.floor(random() * 36),
      design,
      level: evidenceLevelOf[design],
    };
  }
}
