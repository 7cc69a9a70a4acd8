import { studyDesigns, type StudyDesign } from '../../core/evidence/classify.js';
import type { EvidenceIndex, IndexedDocument, SearchExplanation, SearchFilters, SearchOptions, SearchResult } from '../../core/evidence/search.js';
import type { LibraryId, RecordId } from '../../core/shared/ids.js';
import { Postings, TopK } from './postings.js';
import { containsPhrase, parseQuery } from './query.js';
import { terms as termsOf, tokenize } from './tokenize.js';

/**
 * BM25F (Robertson, Zaragoza & Taylor 2004): a term's frequencies in the fields are weighted and
 * length-normalised per field, summed, and saturated once. Defaults follow common practice
 * (k1 1.2; b 0.75 for long fields) with the title and keywords weighted above the abstract.
 */
export interface IndexSettings {
  k1: number;
  /** Title, abstract, keywords/MeSH. */
  weights: readonly [number, number, number];
  b: readonly [number, number, number];
  /** RM3: documents and terms taken from the first pass, and the original query's share. */
  feedback: { documents: number; terms: number; originalWeight: number };
}

export const defaultSettings: IndexSettings = {
  k1: 1.2,
  weights: [2.5, 1, 1.5],
  b: [0.5, 0.75, 0.5],
  feedback: { documents: 10, terms: 20, originalWeight: 0.6 },
};

const FIELDS = 3;
const designIndex = new Map<StudyDesign, number>(studyDesigns.map((design, index) => [design, index]));

/** Evidence-level boost (level 1 most): a multiplier, so it orders near-ties rather than overriding relevance. */
const levelBoost = [0, 0.25, 0.2, 0.12, 0.08, 0.04, 0];

/** Loads title and abstract for phrase checks and query expansion (the index keeps no text). */
export type TextLoader = (ids: readonly RecordId[]) => Promise<Map<string, string>>;

const grow = <T extends Uint8Array<ArrayBufferLike> | Uint16Array<ArrayBufferLike> | Uint32Array<ArrayBufferLike> | Float32Array<ArrayBufferLike>>(array: T, needed: number, make: (size: number) => T): T => {
  if (needed <= array.length) {
    return array;
  }
  const grown = make(Math.max(needed, array.length * 2, 1024));
  grown.set(array);
  return grown;
};

/** The in-process evidence index: typed arrays, postings per term, top-k by heap. */
export class InMemoryEvidenceIndex implements EvidenceIndex {
  readonly settings: IndexSettings;
  private postings = new Map<string, Postings>();
  private ids: string[] = [];
  private docOf = new Map<string, number>();
  private libraries: string[] = [];
  private library: Uint16Array<ArrayBufferLike> = new Uint16Array(1024);
  private year: Uint16Array<ArrayBufferLike> = new Uint16Array(1024);
  private design: Uint8Array<ArrayBufferLike> = new Uint8Array(1024);
  private level: Uint8Array<ArrayBufferLike> = new Uint8Array(1024);
  private alive: Uint8Array<ArrayBufferLike> = new Uint8Array(1024);
  private lengths: Float32Array<ArrayBufferLike> = new Float32Array(1024 * FIELDS);
  private norms: Float32Array<ArrayBufferLike> = new Float32Array(1024 * FIELDS);
  private totals = [0, 0, 0];
  private normAverages = [1, 1, 1];
  private liveCount = 0;
  private deadCount = 0;
  private sortedTerms: string[] | undefined;
  private scores: Float32Array<ArrayBufferLike> = new Float32Array(1024);
  private stamps: Uint32Array<ArrayBufferLike> = new Uint32Array(1024);
  private matched: Uint8Array<ArrayBufferLike> = new Uint8Array(1024);
  private stamp = 0;

  constructor(
    private readonly loadTexts?: TextLoader,
    settings: Partial<IndexSettings> = {},
  ) {
    this.settings = { ...defaultSettings, ...settings };
  }

  size(): number {
    return this.liveCount;
  }

  upsert(documents: readonly IndexedDocument[]): void {
    const added: number[] = [];
    for (const document of documents) {
      const existing = this.docOf.get(document.id);
      if (existing !== undefined) {
        this.kill(existing);
      }
      added.push(this.add(document));
    }
    // A large batch (a build, an import) computes all norms once; a few documents only their own.
    if (added.length > 100) {
      this.recomputeNorms();
    } else {
      for (const doc of added) {
        this.refreshNorms(doc);
      }
    }
    this.maybeCompact();
  }

  remove(ids: readonly RecordId[]): void {
    for (const id of ids) {
      const doc = this.docOf.get(id);
      if (doc !== undefined) {
        this.kill(doc);
        this.docOf.delete(id);
      }
    }
    this.maybeCompact();
  }

  private add(document: IndexedDocument): number {
    const doc = this.ids.length;
    this.ids.push(document.id);
    this.docOf.set(document.id, doc);
    this.ensureCapacity(doc + 1);
    let libraryNumber = this.libraries.indexOf(document.libraryId);
    if (libraryNumber < 0) {
      libraryNumber = this.libraries.push(document.libraryId) - 1;
    }
    this.library[doc] = libraryNumber;
    this.year[doc] = document.year ?? 0;
    this.design[doc] = designIndex.get(document.design) ?? 0;
    this.level[doc] = document.level ?? 0;
    this.alive[doc] = 1;
    const fields = [termsOf(document.title), termsOf(document.abstract), termsOf(document.keywords.join(' . '))];
    const counts = new Map<string, [number, number, number]>();
    fields.forEach((fieldTerms, field) => {
      this.lengths[doc * FIELDS + field] = fieldTerms.length;
      this.totals[field] = (this.totals[field] ?? 0) + fieldTerms.length;
      for (const term of fieldTerms) {
        const count = counts.get(term) ?? [0, 0, 0];
        count[field] = (count[field] ?? 0) + 1;
        counts.set(term, count);
      }
    });
    for (const [term, [title, abstract, keywords]] of counts) {
      let list = this.postings.get(term);
      if (!list) {
        list = new Postings();
        this.postings.set(term, list);
        this.sortedTerms = undefined;
      }
      list.add(doc, title, abstract, keywords);
    }
    this.liveCount += 1;
    return doc;
  }

  private kill(doc: number): void {
    if (this.alive[doc] !== 1) {
      return;
    }
    this.alive[doc] = 0;
    this.liveCount -= 1;
    this.deadCount += 1;
    for (let field = 0; field < FIELDS; field += 1) {
      this.totals[field] = (this.totals[field] ?? 0) - (this.lengths[doc * FIELDS + field] ?? 0);
    }
  }

  /** Removed documents stay in postings until a fifth of the index is dead, then are swept out. */
  private maybeCompact(): void {
    if (this.deadCount < 1000 || this.deadCount < this.liveCount / 4) {
      return;
    }
    for (const [term, list] of this.postings) {
      if (list.compact((doc) => this.alive[doc] === 1) === 0) {
        this.postings.delete(term);
        this.sortedTerms = undefined;
      }
    }
    this.deadCount = 0;
  }

  private ensureCapacity(needed: number): void {
    this.library = grow(this.library, needed, (size) => new Uint16Array(size));
    this.year = grow(this.year, needed, (size) => new Uint16Array(size));
    this.design = grow(this.design, needed, (size) => new Uint8Array(size));
    this.level = grow(this.level, needed, (size) => new Uint8Array(size));
    this.alive = grow(this.alive, needed, (size) => new Uint8Array(size));
    this.lengths = grow(this.lengths, needed * FIELDS, (size) => new Float32Array(size));
    this.norms = grow(this.norms, needed * FIELDS, (size) => new Float32Array(size));
    this.scores = grow(this.scores, needed, (size) => new Float32Array(size));
    this.stamps = grow(this.stamps, needed, (size) => new Uint32Array(size));
    this.matched = grow(this.matched, needed, (size) => new Uint8Array(size));
  }

  /**
   * Length normalisation per field, 1 - b + b·len/avglen, cached per document. Average lengths
   * drift as documents arrive; all norms are recomputed when an average moves by more than 2%.
   */
  private refreshNorms(doc: number): void {
    const averages = this.averages();
    const hasDrifted = averages.some((average, field) => Math.abs(average - (this.normAverages[field] ?? 1)) / average > 0.02);
    if (hasDrifted) {
      this.recomputeNorms();
    } else {
      this.setNorms(doc);
    }
  }

  private averages(): number[] {
    return this.totals.map((total) => Math.max(1, total / Math.max(1, this.liveCount)));
  }

  private recomputeNorms(): void {
    this.normAverages = this.averages();
    for (let doc = 0; doc < this.ids.length; doc += 1) {
      this.setNorms(doc);
    }
  }

  private setNorms(doc: number): void {
    for (let field = 0; field < FIELDS; field += 1) {
      const b = this.settings.b[field] ?? 0.75;
      this.norms[doc * FIELDS + field] = 1 - b + (b * (this.lengths[doc * FIELDS + field] ?? 0)) / (this.normAverages[field] ?? 1);
    }
  }

  /** Terms of the dictionary starting with `prefix`, most frequent first. */
  private expandPrefix(prefix: string, limit = 20): string[] {
    this.sortedTerms ??= [...this.postings.keys()].sort();
    const sorted = this.sortedTerms;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((sorted[middle] ?? '') < prefix) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    const found: string[] = [];
    for (let index = low; index < sorted.length && (sorted[index] ?? '').startsWith(prefix); index += 1) {
      found.push(sorted[index] ?? '');
    }
    return found.sort((left, right) => (this.postings.get(right)?.length ?? 0) - (this.postings.get(left)?.length ?? 0)).slice(0, limit);
  }

  /** How many documents hold the term (removed ones too, until the next sweep). */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  private idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    const count = this.liveCount + this.deadCount;
    return Math.log(1 + (count - df + 0.5) / (df + 0.5));
  }

  private passesFilters(doc: number, filters: CompiledFilters): boolean {
    if (this.alive[doc] !== 1) {
      return false;
    }
    const year = this.year[doc] ?? 0;
    if ((filters.yearFrom !== undefined && (year === 0 || year < filters.yearFrom)) || (filters.yearTo !== undefined && (year === 0 || year > filters.yearTo))) {
      return false;
    }
    if (filters.designs && filters.designs[this.design[doc] ?? 0] !== 1) {
      return false;
    }
    if (filters.levels && filters.levels[this.level[doc] ?? 0] !== 1) {
      return false;
    }
    return !filters.libraries || filters.libraries.has(this.library[doc] ?? 0);
  }

  private compileFilters(filters: SearchFilters | undefined): CompiledFilters {
    const compiled: CompiledFilters = { yearFrom: filters?.yearFrom, yearTo: filters?.yearTo };
    if (filters?.designs && filters.designs.length > 0) {
      compiled.designs = new Uint8Array(studyDesigns.length);
      for (const design of filters.designs) {
        compiled.designs[designIndex.get(design) ?? 0] = 1;
      }
    }
    if (filters?.levels && filters.levels.length > 0) {
      compiled.levels = new Uint8Array(8);
      for (const level of filters.levels) {
        compiled.levels[level] = 1;
      }
    }
    if (filters?.libraryIds && filters.libraryIds.length > 0) {
      compiled.libraries = new Set(filters.libraryIds.map((id) => this.libraries.indexOf(id)).filter((index) => index >= 0));
    }
    return compiled;
  }

  /**
   * One synchronous scoring pass: accumulates BM25F per term into a reused score array, then keeps
   * the best `capacity` documents that pass the filters and contain every `required` term.
   */
  private score(weights: Map<string, number>, required: Set<string>, filters: CompiledFilters, capacity: number, boost: BoostSettings | undefined) {
    this.stamp += 1;
    if (this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const touched: number[] = [];
    const { k1 } = this.settings;
    const [wTitle, wAbstract, wKeywords] = this.settings.weights;
    let requiredBit = 0;
    for (const [term, weight] of weights) {
      const list = this.postings.get(term);
      const bit = required.has(term) ? 1 << requiredBit++ : 0;
      if (!list) {
        continue;
      }
      const idf = this.idf(term) * weight;
      const { docs, frequencies, length } = list;
      for (let index = 0; index < length; index += 1) {
        const doc = docs[index] ?? 0;
        const base = doc * FIELDS;
        const tf =
          (wTitle * (frequencies[index * 3] ?? 0)) / (this.norms[base] ?? 1) +
          (wAbstract * (frequencies[index * 3 + 1] ?? 0)) / (this.norms[base + 1] ?? 1) +
          (wKeywords * (frequencies[index * 3 + 2] ?? 0)) / (this.norms[base + 2] ?? 1);
        const contribution = (idf * tf * (k1 + 1)) / (k1 + tf);
        if (this.stamps[doc] !== stamp) {
          this.stamps[doc] = stamp;
          this.scores[doc] = contribution;
          this.matched[doc] = bit;
          touched.push(doc);
        } else {
          this.scores[doc] = (this.scores[doc] ?? 0) + contribution;
          this.matched[doc] = (this.matched[doc] ?? 0) | bit;
        }
      }
    }
    const allRequired = (1 << requiredBit) - 1;
    const top = new TopK(capacity);
    let total = 0;
    for (const doc of touched) {
      if ((this.matched[doc] ?? 0) !== allRequired && allRequired !== 0) {
        continue;
      }
      if (!this.passesFilters(doc, filters)) {
        continue;
      }
      total += 1;
      top.push((this.scores[doc] ?? 0) * this.boostOf(doc, boost), doc);
    }
    return { top: top.sorted(), total };
  }

  private boostOf(doc: number, boost: BoostSettings | undefined): number {
    if (!boost) {
      return 1;
    }
    let factor = 1;
    if (boost.evidenceLevel) {
      factor *= 1 + (levelBoost[this.level[doc] ?? 0] ?? 0);
    }
    const year = this.year[doc] ?? 0;
    if (boost.recency && year > 0) {
      // Up to +15% for this year's work, halving every ten years.
      factor *= 1 + 0.15 * Math.pow(0.5, Math.max(0, boost.currentYear - year) / 10);
    }
    return factor;
  }

  async search(options: SearchOptions): Promise<SearchResult> {
    const parsed = parseQuery(options.text);
    const weights = new Map(parsed.weights);
    for (const prefix of parsed.prefixes) {
      for (const term of this.expandPrefix(prefix)) {
        weights.set(term, (weights.get(term) ?? 0) + 1);
        parsed.words.set(term, `${prefix}*`);
      }
    }
    // The user's own terms (with prefix expansions), before any RM3 expansion: these are highlighted.
    const queryTerms = [...weights.keys()];
    const required = new Set(parsed.phrases.flatMap((phrase) => phrase.tokens.map((token) => token.term)));
    const filters = this.compileFilters(options.filters);
    const offset = options.offset ?? 0;
    const wanted = offset + options.limit;
    const boost = options.boosts && (options.boosts.evidenceLevel || options.boosts.recency) ? options.boosts : undefined;
    let expandedWith: string[] = [];

    if (options.expand && this.loadTexts && weights.size > 0) {
      const first = this.score(weights, required, filters, this.settings.feedback.documents, undefined);
      expandedWith = await this.expandQuery(weights, first.top);
    }
    const hasPhrases = parsed.phrases.length > 0 && this.loadTexts !== undefined;
    let { top, total } = this.score(weights, required, filters, hasPhrases ? Math.max(wanted * 4, 200) : wanted, boost);
    if (hasPhrases) {
      const verified = await this.verifyPhrases(top, parsed.phrases);
      // Only the best candidates are checked against their text; the total is the verified share of all candidates.
      total = top.length === 0 ? 0 : Math.round((total * verified.length) / top.length);
      top = verified;
    }
    const hits = top.slice(offset, wanted).map(({ score, doc }) => ({
      id: this.ids[doc] as RecordId,
      score,
      ...(options.explain ? { explanation: this.explain(doc, weights, parsed.words, boost, expandedWith) } : {}),
    }));
    return { hits, total, terms: queryTerms };
  }

  /**
   * RM3 (Abdul-Jaleel et al. 2004): a relevance model from the first pass's top documents, each
   * weighted by its score, mixed with the original query. Adds the expansion terms to `weights`.
   */
  private async expandQuery(weights: Map<string, number>, top: { score: number; doc: number }[]): Promise<string[]> {
    if (top.length === 0 || !this.loadTexts) {
      return [];
    }
    const texts = await this.loadTexts(top.map((entry) => this.ids[entry.doc] as RecordId));
    const model = new Map<string, number>();
    const scoreSum = top.reduce((sum, entry) => sum + Math.exp(entry.score - (top[0]?.score ?? 0)), 0);
    for (const entry of top) {
      const text = texts.get(this.ids[entry.doc] ?? '') ?? '';
      const documentTerms = termsOf(text);
      if (documentTerms.length === 0) {
        continue;
      }
      const documentWeight = Math.exp(entry.score - (top[0]?.score ?? 0)) / scoreSum;
      for (const term of documentTerms) {
        model.set(term, (model.get(term) ?? 0) + documentWeight / documentTerms.length);
      }
    }
    const { terms, originalWeight } = this.settings.feedback;
    const expansion = [...model].sort((left, right) => right[1] - left[1]).slice(0, terms);
    const expansionTotal = expansion.reduce((sum, [, weight]) => sum + weight, 0) || 1;
    const originalTotal = [...weights.values()].reduce((sum, weight) => sum + weight, 0) || 1;
    const mixed = new Map<string, number>();
    for (const [term, weight] of weights) {
      mixed.set(term, (originalWeight * weight) / originalTotal);
    }
    for (const [term, weight] of expansion) {
      mixed.set(term, (mixed.get(term) ?? 0) + ((1 - originalWeight) * weight) / expansionTotal);
    }
    const added = expansion.map(([term]) => term).filter((term) => !weights.has(term));
    weights.clear();
    for (const [term, weight] of mixed) {
      weights.set(term, weight);
    }
    return added;
  }

  private async verifyPhrases(top: { score: number; doc: number }[], phrases: ReturnType<typeof parseQuery>['phrases']) {
    if (!this.loadTexts || top.length === 0) {
      return top;
    }
    const texts = await this.loadTexts(top.map((entry) => this.ids[entry.doc] as RecordId));
    return top.filter((entry) => {
      const tokens = tokenize(texts.get(this.ids[entry.doc] ?? '') ?? '');
      return phrases.every((phrase) => containsPhrase(tokens, phrase.tokens));
    });
  }

  /** Why a document ranks: each matched term's share of the score and where it matched, and the boosts. */
  private explain(doc: number, weights: Map<string, number>, words: Map<string, string>, boost: BoostSettings | undefined, expandedWith: string[]): SearchExplanation {
    const { k1 } = this.settings;
    const explanation: SearchExplanation['terms'] = [];
    for (const [term, weight] of weights) {
      const list = this.postings.get(term);
      const at = list ? list.find(doc) : -1;
      if (!list || at < 0) {
        continue;
      }
      const base = doc * FIELDS;
      const frequencies = [list.frequencies[at * 3] ?? 0, list.frequencies[at * 3 + 1] ?? 0, list.frequencies[at * 3 + 2] ?? 0];
      const tf = frequencies.reduce((sum, frequency, field) => sum + ((this.settings.weights[field] ?? 1) * frequency) / (this.norms[base + field] ?? 1), 0);
      const names = (['title', 'abstract', 'keywords'] as const).filter((_, field) => (frequencies[field] ?? 0) > 0);
      explanation.push({ term: words.get(term) ?? term, score: Math.round(((this.idf(term) * weight * tf * (k1 + 1)) / (k1 + tf)) * 1000) / 1000, fields: names });
    }
    explanation.sort((left, right) => right.score - left.score);
    const year = this.year[doc] ?? 0;
    return {
      terms: explanation,
      boosts: {
        evidenceLevel: boost?.evidenceLevel ? 1 + (levelBoost[this.level[doc] ?? 0] ?? 0) : 1,
        recency: boost?.recency && year > 0 ? 1 + 0.15 * Math.pow(0.5, Math.max(0, boost.currentYear - year) / 10) : 1,
      },
      expandedWith,
    };
  }

  /** Library number of a library id, for callers that keep their own per-library counts. */
  libraryNumber(id: LibraryId): number {
    return this.libraries.indexOf(id);
  }

  /** Everything the index holds, as flat arrays: what a snapshot file stores. */
  exportState(): IndexState {
    const count = this.ids.length;
    const terms = [...this.postings.keys()];
    const offsets = new Uint32Array(terms.length + 1);
    let total = 0;
    terms.forEach((term, index) => {
      offsets[index] = total;
      total += this.postings.get(term)?.length ?? 0;
    });
    offsets[terms.length] = total;
    const docs = new Uint32Array(total);
    const frequencies = new Uint8Array(total * 3);
    terms.forEach((term, index) => {
      const list = this.postings.get(term);
      const at = offsets[index] ?? 0;
      if (list) {
        docs.set(list.docs.subarray(0, list.length), at);
        frequencies.set(list.frequencies.subarray(0, list.length * 3), at * 3);
      }
    });
    return {
      ids: this.ids,
      libraries: this.libraries,
      library: this.library.slice(0, count),
      year: this.year.slice(0, count),
      design: this.design.slice(0, count),
      level: this.level.slice(0, count),
      alive: this.alive.slice(0, count),
      lengths: this.lengths.slice(0, count * FIELDS),
      norms: this.norms.slice(0, count * FIELDS),
      totals: [...this.totals],
      normAverages: [...this.normAverages],
      liveCount: this.liveCount,
      deadCount: this.deadCount,
      terms,
      offsets,
      docs,
      frequencies,
    };
  }

  /** An index over a snapshot's arrays, without copying them: postings are views until a term grows. */
  static fromState(state: IndexState, loadTexts?: TextLoader, settings: Partial<IndexSettings> = {}): InMemoryEvidenceIndex {
    const index = new InMemoryEvidenceIndex(loadTexts, settings);
    index.ids = state.ids;
    index.docOf = new Map();
    state.ids.forEach((id, doc) => {
      if (state.alive[doc] === 1) {
        index.docOf.set(id, doc);
      }
    });
    index.libraries = state.libraries;
    index.library = state.library;
    index.year = state.year;
    index.design = state.design;
    index.level = state.level;
    index.alive = state.alive;
    index.lengths = state.lengths;
    index.norms = state.norms;
    index.totals = state.totals;
    index.normAverages = state.normAverages;
    index.liveCount = state.liveCount;
    index.deadCount = state.deadCount;
    const count = state.ids.length;
    index.scores = new Float32Array(Math.max(1024, count));
    index.stamps = new Uint32Array(Math.max(1024, count));
    index.matched = new Uint8Array(Math.max(1024, count));
    state.terms.forEach((term, position) => {
      const start = state.offsets[position] ?? 0;
      const end = state.offsets[position + 1] ?? start;
      index.postings.set(term, new Postings(state.docs.subarray(start, end), state.frequencies.subarray(start * 3, end * 3)));
    });
    return index;
  }
}

export interface IndexState {
  ids: string[];
  libraries: string[];
  library: Uint16Array<ArrayBufferLike>;
  year: Uint16Array<ArrayBufferLike>;
  design: Uint8Array<ArrayBufferLike>;
  level: Uint8Array<ArrayBufferLike>;
  alive: Uint8Array<ArrayBufferLike>;
  lengths: Float32Array<ArrayBufferLike>;
  norms: Float32Array<ArrayBufferLike>;
  totals: number[];
  normAverages: number[];
  liveCount: number;
  deadCount: number;
  terms: string[];
  offsets: Uint32Array<ArrayBufferLike>;
  docs: Uint32Array<ArrayBufferLike>;
  frequencies: Uint8Array<ArrayBufferLike>;
}

interface CompiledFilters {
  yearFrom: number | undefined;
  yearTo: number | undefined;
  designs?: Uint8Array;
  levels?: Uint8Array;
  libraries?: Set<number>;
}

type BoostSettings = NonNullable<SearchOptions['boosts']>;
