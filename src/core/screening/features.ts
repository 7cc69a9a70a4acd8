import type { SparseMatrix, SparseVector } from './sparse.js';
import { tokenise } from './tokenise.js';

/** What the screening model reads of a record. */
export interface ScreeningText {
  title: string;
  abstract?: string | undefined;
}

export interface FeatureOptions {
  /** 1: words only; 2: words and bigrams (pairs of adjacent words after stop words are removed). */
  ngrams: 1 | 2;
  /** Drop English stop words (scikit-learn's list, as ASReview does). */
  stopWords: boolean;
  /** Keep only features found in at least this many records. */
  minDocumentFrequency: number;
  /** Drop features found in more than this share of the records (1 keeps all). */
  maxDocumentShare: number;
  /** 1 + log(tf) instead of the raw count. */
  sublinearTf: boolean;
}

/**
 * Words and bigrams, stop words out, features found in at least 2 records, sublinear tf: the
 * setting measured best against ASReview's default (docs/decisions/0010). ASReview's own setting is
 * `{ ngrams: 1, minDocumentFrequency: 1, sublinearTf: false }`.
 */
export const defaultFeatureOptions: FeatureOptions = { ngrams: 2, stopWords: true, minDocumentFrequency: 2, maxDocumentShare: 1, sublinearTf: true };

/**
 * The TF-IDF features of every record of a review. The vocabulary is fit on all records, since all
 * are known up front (ASReview does the same). Weights follow scikit-learn's `TfidfVectorizer`
 * defaults: raw term count × smoothed idf `ln((1 + n) / (1 + df)) + 1`, each row scaled to unit
 * length (L2).
 */
export interface FeatureSpace {
  readonly matrix: SparseMatrix;
  readonly idf: Float64Array;
  readonly options: FeatureOptions;
  /** The word or bigram a feature stands for. */
  termOf(feature: number): string;
  /** A text outside the review (the protocol) in the same space; unknown words are ignored. */
  vectorise(text: string): SparseVector;
}

const textOf = (record: ScreeningText): string => (record.abstract ? `${record.title} ${record.abstract}` : record.title);

/** A bigram key from two word ids: exact while word ids stay below 2^21 (two million words). */
const WORD_LIMIT = 2 ** 21;

class Vocabulary {
  readonly words = new Map<string, number>();
  readonly wordNames: string[] = [];
  readonly pairs = new Map<number, number>();
  /** Feature id → word id, or −1 for a bigram. */
  featureWord: number[] = [];
  /** Feature id → the bigram key, for bigrams. */
  featurePair: number[] = [];

  wordId(word: string, isAdding: boolean): number {
    let id = this.words.get(word);
    if (id === undefined) {
      if (!isAdding) {
        return -1;
      }
      id = this.wordNames.length;
      if (id >= WORD_LIMIT) {
        throw new Error(`screening features: more than ${WORD_LIMIT} distinct words`);
      }
      this.words.set(word, id);
      this.wordNames.push(word);
    }
    return id;
  }

  /** Feature ids of one text, in order, with repeats; −1 for an unknown feature when not adding. */
  featuresOf(words: readonly string[], ngrams: 1 | 2, isAdding: boolean): number[] {
    const features: number[] = [];
    const wordIds = words.map((word) => this.wordId(word, isAdding));
    for (const [position, wordId] of wordIds.entries()) {
      if (wordId >= 0) {
        features.push(this.feature(wordId, -1, isAdding));
      }
      const next = wordIds[position + 1];
      if (ngrams === 2 && next !== undefined && wordId >= 0 && next >= 0) {
        features.push(this.feature(wordId, next, isAdding));
      }
    }
    return features.filter((feature) => feature >= 0);
  }

  private readonly wordFeatures = new Map<number, number>();

  private feature(first: number, second: number, isAdding: boolean): number {
    const table = second < 0 ? this.wordFeatures : this.pairs;
    const key = second < 0 ? first : first * WORD_LIMIT + second;
    let id = table.get(key);
    if (id === undefined) {
      if (!isAdding) {
        return -1;
      }
      id = this.featureWord.length;
      table.set(key, id);
      this.featureWord.push(second < 0 ? first : -1);
      this.featurePair.push(second < 0 ? -1 : key);
    }
    return id;
  }

  termOf(feature: number): string {
    const word = this.featureWord[feature];
    if (word === undefined) {
      return '';
    }
    if (word >= 0) {
      return this.wordNames[word] ?? '';
    }
    const key = this.featurePair[feature] ?? 0;
    return `${this.wordNames[Math.floor(key / WORD_LIMIT)] ?? ''} ${this.wordNames[key % WORD_LIMIT] ?? ''}`;
  }
}

/** Term counts of one record's features → TF-IDF weights scaled to unit length, in first-seen order. */
const weigh = (features: readonly number[], idf: Float64Array, remap: Int32Array | undefined, sublinearTf: boolean): { indices: number[]; values: number[] } => {
  const counts = new Map<number, number>();
  for (const feature of features) {
    const column = remap ? (remap[feature] as number) : feature;
    if (column >= 0) {
      counts.set(column, (counts.get(column) ?? 0) + 1);
    }
  }
  const indices: number[] = [];
  const values: number[] = [];
  let squares = 0;
  for (const [column, count] of counts) {
    const value = (sublinearTf ? 1 + Math.log(count) : count) * (idf[column] as number);
    indices.push(column);
    values.push(value);
    squares += value * value;
  }
  const norm = Math.sqrt(squares);
  if (norm > 0) {
    for (let position = 0; position < values.length; position += 1) {
      values[position] = (values[position] as number) / norm;
    }
  }
  return { indices, values };
};

/** Fits the vocabulary and idf on all records of a review and returns their TF-IDF matrix. */
export const buildFeatures = (records: readonly ScreeningText[], options: Partial<FeatureOptions> = {}): FeatureSpace => {
  const settings: FeatureOptions = { ...defaultFeatureOptions, ...options };
  const vocabulary = new Vocabulary();
  const recordFeatures = records.map((record) => vocabulary.featuresOf(tokenise(textOf(record), settings), settings.ngrams, true));
  const featureCount = vocabulary.featureWord.length;
  const documentFrequency = new Int32Array(featureCount);
  const lastSeen = new Int32Array(featureCount).fill(-1);
  for (const [row, features] of recordFeatures.entries()) {
    for (const feature of features) {
      if (lastSeen[feature] !== row) {
        lastSeen[feature] = row;
        documentFrequency[feature] = (documentFrequency[feature] as number) + 1;
      }
    }
  }
  // Features below the document-frequency floor are dropped: `remap` maps kept features to columns.
  let remap: Int32Array | undefined;
  let columns = featureCount;
  const originalOf: number[] = [];
  const maximumFrequency = Math.floor(settings.maxDocumentShare * records.length);
  if (settings.minDocumentFrequency > 1 || settings.maxDocumentShare < 1) {
    remap = new Int32Array(featureCount).fill(-1);
    columns = 0;
    for (let feature = 0; feature < featureCount; feature += 1) {
      const frequency = documentFrequency[feature] as number;
      if (frequency >= settings.minDocumentFrequency && frequency <= maximumFrequency) {
        remap[feature] = columns;
        originalOf.push(feature);
        columns += 1;
      }
    }
  }
  const idf = new Float64Array(columns);
  const rowsCount = records.length;
  for (let feature = 0; feature < featureCount; feature += 1) {
    const column = remap ? (remap[feature] as number) : feature;
    if (column >= 0) {
      idf[column] = Math.log((1 + rowsCount) / (1 + (documentFrequency[feature] as number))) + 1;
    }
  }
  const rowStart = new Int32Array(rowsCount + 1);
  const weighed = recordFeatures.map((features) => weigh(features, idf, remap, settings.sublinearTf));
  for (const [row, entry] of weighed.entries()) {
    rowStart[row + 1] = (rowStart[row] as number) + entry.indices.length;
  }
  const nonZeros = rowStart[rowsCount] as number;
  const columnIndex = new Int32Array(nonZeros);
  const values = new Float64Array(nonZeros);
  for (const [row, entry] of weighed.entries()) {
    const start = rowStart[row] as number;
    columnIndex.set(entry.indices, start);
    values.set(entry.values, start);
  }
  const toFeature = (column: number): number => (remap ? (originalOf[column] ?? -1) : column);
  return {
    matrix: { rows: rowsCount, columns, rowStart, columnIndex, values },
    idf,
    options: settings,
    termOf: (column) => vocabulary.termOf(toFeature(column)),
    vectorise: (text) => {
      const features = vocabulary.featuresOf(tokenise(text, settings), settings.ngrams, false);
      const entry = weigh(features, idf, remap, settings.sublinearTf);
      return { indices: Int32Array.from(entry.indices), values: Float64Array.from(entry.values) };
    },
  };
};
