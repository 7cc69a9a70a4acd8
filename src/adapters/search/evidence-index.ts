import { studyDesigns, type StudyDesign } from '../../core/evidence/classify.js';
import type { EvidenceIndex, IndexedDocument, SearchExplanation, SearchFilters, SearchOptions, SearchResult } from '../../core/evidence/search.js';
import type { LibraryId, RecordId } from '../../core/shared/ids.js';
import { DocumentTable, Postings, TopK } from './postings.js';
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
  /**
   * How far (relative) an average field length may drift from the one the length norms were
   * computed with before a change of a few documents recomputes them all (a batch of more than
   * 100 always does). 0 recomputes on every change: exact, and slow for a trickle of updates.
   */
  normDrift: number;
}

export const defaultSettings: IndexSettings = {
  k1: 1.2,
  weights: [2.5, 1, 1.5],
  b: [0.5, 0.75, 0.5],
  feedback: { documents: 10, terms: 20, originalWeight: 0.6 },
  normDrift: 0.02,
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

/**
 * The in-process evidence index: typed arrays, postings per term, top-k by heap.
 *
 * Scoring is impact-based: each posting carries its precomputed BM25F term-frequency part (see
 * Postings), so a query adds idf·weight·impact per posting into a dense score array over document
 * numbers, then keeps the best with a heap while resetting the array. Queries with many postings
 * go block by block over the documents and skip common terms that cannot change the top
 * (MaxScore, see scoreDense); the results are those of scoring every posting.
 * Impacts follow the length norms: when the norms are recomputed (a batch of more than 100
 * documents, or average lengths drifting by more than `normDrift`), a generation counter moves on
 * and each term's impacts are recomputed the next time a query (or a snapshot) needs them.
 */
export class InMemoryEvidenceIndex implements EvidenceIndex {
  readonly settings: IndexSettings;
  private postings = new Map<string, Postings>();
  private ids: string[] = [];
  /** Record id → document number of the documents alive; after a snapshot loads, built on the first change. */
  private documentTable: DocumentTable | undefined = new DocumentTable(this.ids);
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
  /** Moves on whenever the norms are recomputed: postings of an older generation have stale impacts. */
  private generation = 0;
  private liveCount = 0;
  private deadCount = 0;
  private sortedTerms: string[] | undefined;
  /** Dense per-document scores, all zero between queries (a zero score means "not matched"). */
  private scores: Float32Array<ArrayBufferLike> = new Float32Array(1024);
  /** Documents matched by a query, when it matches few of them (then no scan over every document). */
  private touched: Uint32Array<ArrayBufferLike> = new Uint32Array(1024);
  /** Required (phrase) terms seen per document, one bit each; all zero between queries. */
  private matched: Uint32Array<ArrayBufferLike> = new Uint32Array(1024);
  private recency: { currentYear: number; factors: Float64Array; max: number } | undefined;
  /** Scratch: the documents of a block that common, skipped terms match, one bit each. */
  private union = new Uint32Array(SCORE_BLOCK / 32);
  /**
   * How queries with many postings are scored (for tests and measurements; the results are the
   * same either way, up to float rounding): at most this many documents a block, the least share
   * of the documents a term must hold to be skipped (and get a bitmap), whether skipping (MaxScore)
   * is on, and how much of the heap's lowest score the skipped terms' bounds may add up to (more
   * skips more postings, but leaves more documents to complete from the skipped postings).
   */
  readonly tuning = { block: SCORE_BLOCK, bitmapShare: 1 / 16, prune: true, skipShare: 0.3 };

  constructor(
    private readonly loadTexts?: TextLoader,
    settings: Partial<IndexSettings> = {},
  ) {
    this.settings = { ...defaultSettings, ...settings };
  }

  size(): number {
    return this.liveCount;
  }

  private get docOf(): DocumentTable {
    if (!this.documentTable) {
      const table = new DocumentTable(this.ids, this.liveCount);
      for (let doc = 0; doc < this.ids.length; doc += 1) {
        if (this.alive[doc] === 1) {
          table.set(this.ids[doc] ?? '', doc);
        }
      }
      this.documentTable = table;
    }
    return this.documentTable;
  }

  upsert(documents: readonly IndexedDocument[]): void {
    // A large batch (a build, an import) recomputes all norms once, so its own impacts would be
    // computed in vain; a few documents get theirs with the current norms.
    const isBatch = documents.length > 100;
    for (const document of documents) {
      const existing = this.docOf.get(document.id);
      if (existing !== undefined) {
        this.kill(existing);
      }
      this.add(document, !isBatch);
    }
    if (isBatch) {
      this.recomputeNorms();
    } else {
      this.recomputeNormsIfDrifted();
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
    this.recomputeNormsIfDrifted();
    this.maybeCompact();
  }

  private add(document: IndexedDocument, withImpacts: boolean): number {
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
        const count = counts.get(term);
        if (count) {
          count[field as 0 | 1 | 2] += 1;
        } else {
          const fresh: [number, number, number] = [0, 0, 0];
          fresh[field as 0 | 1 | 2] = 1;
          counts.set(term, fresh);
        }
      }
    });
    this.setNorms(doc);
    for (const [term, [title, abstract, keywords]] of counts) {
      let list = this.postings.get(term);
      if (!list) {
        // Without impacts a new term is stale from the start (generation -1): the batch recomputes norms.
        list = new Postings(undefined, undefined, undefined, withImpacts ? this.generation : -1);
        this.postings.set(term, list);
        this.sortedTerms = undefined;
      }
      list.add(doc, title, abstract, keywords, withImpacts ? this.impactOf(doc, Math.min(255, title), Math.min(255, abstract), Math.min(255, keywords)) : 0);
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

  /** Removed documents stay in postings until a quarter of the index is dead, then are swept out. */
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
    this.touched = grow(this.touched, needed, (size) => new Uint32Array(size));
    this.matched = grow(this.matched, needed, (size) => new Uint32Array(size));
  }

  /**
   * Length normalisation per field, 1 - b + b·len/avglen, cached per document. Average lengths
   * drift as documents come and go; all norms are recomputed when an average moves by more than
   * `normDrift` from the one they were computed with.
   */
  private recomputeNormsIfDrifted(): void {
    const averages = this.averages();
    const { normDrift } = this.settings;
    if (averages.some((average, field) => Math.abs(average - (this.normAverages[field] ?? 1)) / average > normDrift)) {
      this.recomputeNorms();
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
    // Every impact was computed with the old norms: recomputed term by term when next needed.
    this.generation += 1;
  }

  private setNorms(doc: number): void {
    for (let field = 0; field < FIELDS; field += 1) {
      const b = this.settings.b[field] ?? 0.75;
      this.norms[doc * FIELDS + field] = 1 - b + (b * (this.lengths[doc * FIELDS + field] ?? 0)) / (this.normAverages[field] ?? 1);
    }
  }

  /** BM25F's term-frequency part for one posting: weighted, length-normalised frequencies, saturated once. */
  private impactOf(doc: number, title: number, abstract: number, keywords: number): number {
    const { k1, weights } = this.settings;
    const base = doc * FIELDS;
    const tf =
      (title === 0 ? 0 : (weights[0] * title) / (this.norms[base] ?? 1)) +
      (abstract === 0 ? 0 : (weights[1] * abstract) / (this.norms[base + 1] ?? 1)) +
      (keywords === 0 ? 0 : (weights[2] * keywords) / (this.norms[base + 2] ?? 1));
    return (tf * (k1 + 1)) / (k1 + tf);
  }

  /** Brings a term's impacts up to the current norms. */
  private refreshImpacts(list: Postings): void {
    if (list.generation === this.generation) {
      return;
    }
    const { docs, frequencies, impacts, length } = list;
    let max = 0;
    for (let at = 0; at < length; at += 1) {
      const impact = this.impactOf(docs[at] ?? 0, frequencies[at * 3] ?? 0, frequencies[at * 3 + 1] ?? 0, frequencies[at * 3 + 2] ?? 0);
      impacts[at] = impact;
      max = Math.max(max, impacts[at] ?? 0);
    }
    list.maxImpact = max;
    list.generation = this.generation;
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

  /** How many terms the dictionary holds. */
  termCount(): number {
    return this.postings.size;
  }

  private idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    const count = this.liveCount + this.deadCount;
    return Math.log(1 + (count - df + 0.5) / (df + 0.5));
  }

  private passesFilters(doc: number, filters: CompiledFilters): boolean {
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
    if (filters.libraries && !filters.libraries.has(this.library[doc] ?? 0)) {
      return false;
    }
    return !filters.documents || filters.documents[doc] === 1;
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
      compiled.levels = new Uint8Array(256);
      for (const level of filters.levels) {
        compiled.levels[level] = 1;
      }
    }
    if (filters?.libraryIds && filters.libraryIds.length > 0) {
      compiled.libraries = new Set(filters.libraryIds.map((id) => this.libraries.indexOf(id)).filter((index) => index >= 0));
    }
    if (filters?.recordIds) {
      // Record ids to document numbers once, rather than a string lookup for every document matched.
      compiled.documents = new Uint8Array(this.ids.length);
      for (const id of filters.recordIds) {
        const doc = this.docOf.get(id);
        if (doc !== undefined) {
          compiled.documents[doc] = 1;
        }
      }
    }
    return compiled;
  }

  /** Recency factor by year (index 0: no year, no boost) and the largest, computed once per current year. */
  private recencyFactors(currentYear: number): { factors: Float64Array; max: number } {
    if (this.recency?.currentYear !== currentYear) {
      const factors = new Float64Array(65536);
      factors[0] = 1;
      for (let year = 1; year < factors.length; year += 1) {
        factors[year] = recencyFactor(currentYear, year);
      }
      this.recency = { currentYear, factors, max: maxOf(factors) };
    }
    return this.recency;
  }

  /**
   * One synchronous scoring pass: adds each term's idf·weight·impact into the dense score array,
   * then keeps the best `capacity` documents that are alive, pass the filters and contain every
   * `required` term, resetting the array as it goes. A query whose postings are few next to the
   * documents remembers which it touched; a long one scans every document instead.
   */
  private score(weights: Map<string, number>, required: Set<string>, filters: CompiledFilters, capacity: number, boost: BoostSettings | undefined) {
    const lists: Postings[] = [];
    const termWeights: number[] = [];
    const bits: number[] = [];
    let requiredBit = 0;
    let postings = 0;
    for (const [term, weight] of weights) {
      const list = this.postings.get(term);
      // Up to 30 required terms are checked here; phrases are verified against the text anyway.
      const bit = required.has(term) && requiredBit < 30 ? 1 << requiredBit++ : 0;
      const termWeight = this.idf(term) * weight;
      if (!list || list.length === 0 || !(termWeight > 0)) {
        continue;
      }
      this.refreshImpacts(list);
      lists.push(list);
      termWeights.push(termWeight);
      bits.push(bit);
      postings += list.length;
    }
    const scores = this.scores;
    const count = this.ids.length;
    const hasFilters = filters.yearFrom !== undefined || filters.yearTo !== undefined || filters.designs !== undefined || filters.levels !== undefined || filters.libraries !== undefined || filters.documents !== undefined;
    const recency = boost?.recency ? this.recencyFactors(boost.currentYear) : undefined;
    const collector: Collector = {
      top: new TopK(capacity),
      total: 0,
      requiredBit,
      filters: hasFilters ? filters : undefined,
      levelFactors: boost?.evidenceLevel ? levelFactorTable : undefined,
      recency: recency?.factors,
      maxBoost: (boost?.evidenceLevel ? maxLevelFactor : 1) * (recency ? recency.max : 1),
    };
    if (postings * 4 < count) {
      // Few postings next to the documents: remember the documents touched, and visit only those.
      const touched = this.touched;
      let touchedCount = 0;
      for (let position = 0; position < lists.length; position += 1) {
        const { docs, impacts, length } = lists[position] as Postings;
        const termWeight = termWeights[position] ?? 0;
        for (let at = 0; at < length; at += 1) {
          const doc = docs[at] ?? 0;
          const score = scores[doc] ?? 0;
          if (score === 0) {
            touched[touchedCount] = doc;
            touchedCount += 1;
          }
          scores[doc] = score + termWeight * (impacts[at] ?? 0);
        }
        this.markRequired(lists[position] as Postings, bits[position] ?? 0, 0, length);
      }
      this.collect(collector, touched, 0, touchedCount);
    } else {
      this.scoreDense(lists, termWeights, bits, collector);
    }
    return { top: collector.top.sorted(), total: collector.total };
  }

  /**
   * Scoring when the postings are many: every posting is added without bookkeeping, then the
   * documents are scanned. In blocks of documents, so that a block's scores stay in the
   * processor's cache while the terms add to them.
   *
   * MaxScore (Turtle & Flood 1995) across blocks: once the heap is full, its lowest score is a
   * threshold no document below can beat. The common terms whose best possible contributions
   * (idf·weight·largest impact) add up to less than the threshold cannot bring a document into
   * the top on their own: in later blocks they are skipped, except for the few documents already
   * scored close enough to the threshold, whose missing contributions are looked up in their
   * postings. Their bitmaps still count the documents they match, so the total stays exact.
   * Not with filters or required (phrase) terms: those take the plain path.
   */
  private scoreDense(lists: Postings[], termWeights: number[], bits: number[], collector: Collector): void {
    const scores = this.scores;
    const count = this.ids.length;
    const { bitmapShare, prune, skipShare } = this.tuning;
    // About 32 blocks, of 4,096 documents or more (fewer blocks when smaller), so that skipping starts early; multiples of 32 for the bitmaps.
    const block = Math.max(32, Math.floor(Math.min(this.tuning.block, Math.max(4096, count / 32)) / 32) * 32);
    const isPlain = collector.requiredBit === 0 && !collector.filters;
    // Terms that may be skipped, least useful first: common ones (a bitmap is then smaller than their postings).
    const bounds = lists.map((list, position) => (termWeights[position] ?? 0) * list.upperImpact());
    const skippable = prune && isPlain ? lists.map((_, position) => position).filter((position) => (lists[position]?.length ?? 0) >= count * bitmapShare) : [];
    skippable.sort((left, right) => (bounds[left] ?? 0) - (bounds[right] ?? 0));
    const isSkipped = new Uint8Array(lists.length);
    const skipped: number[] = [];
    let skippedBound = 0;
    const cursors = new Uint32Array(lists.length);
    for (let blockStart = 0; blockStart < count; blockStart += block) {
      const blockEnd = Math.min(count, blockStart + block);
      const { top } = collector;
      if (skipped.length < skippable.length && top.size === top.capacity) {
        const threshold = top.floor;
        for (let next = skippable[skipped.length]; next !== undefined; next = skippable[skipped.length]) {
          // A margin for the float rounding of sums of many terms.
          if ((skippedBound + (bounds[next] ?? 0)) * collector.maxBoost * (1 + 1e-4) >= threshold * skipShare) {
            break;
          }
          skippedBound += bounds[next] ?? 0;
          isSkipped[next] = 1;
          skipped.push(next);
        }
      }
      for (let position = 0; position < lists.length; position += 1) {
        if (isSkipped[position] === 1) {
          continue;
        }
        const list = lists[position] as Postings;
        const { docs, impacts } = list;
        const from = cursors[position] ?? 0;
        const to = blockEnd === count ? list.length : lowerBound(docs, blockEnd, from, list.length);
        accumulate(scores, docs, impacts, from, to, termWeights[position] ?? 0);
        this.markRequired(list, bits[position] ?? 0, from, to);
        cursors[position] = to;
      }
      if (skipped.length > 0) {
        this.collectSkipping(collector, blockStart, blockEnd, skipped, lists, termWeights, bounds, cursors, skippedBound);
      } else if (isPlain) {
        this.collectDense(collector, blockStart, blockEnd);
      } else {
        this.collect(collector, undefined, blockStart, blockEnd);
      }
    }
  }

  /**
   * collectDense() for a block where the `skipped` terms were not added: a document counts when
   * scored or in a skipped term's bitmap; one scored within `skippedBound` of the heap's lowest
   * score gets the skipped terms' contributions from their postings (searched from the cursors,
   * which move forward with the documents) before it is compared.
   */
  private collectSkipping(collector: Collector, from: number, to: number, skipped: readonly number[], lists: readonly Postings[], termWeights: readonly number[], bounds: readonly number[], cursors: Uint32Array, skippedBound: number): void {
    const { top, levelFactors, recency, maxBoost } = collector;
    const words = (to - from + 31) >>> 5;
    if (this.union.length < words) {
      this.union = new Uint32Array(words);
    }
    const union = this.union;
    union.fill(0, 0, words);
    const base = from >>> 5;
    for (const position of skipped) {
      const bitmap = (lists[position] as Postings).documentBitmap(this.ids.length);
      for (let word = 0; word < words; word += 1) {
        union[word] = (union[word] ?? 0) | (bitmap[base + word] ?? 0);
      }
    }
    const scores = this.scores;
    const bits = new Uint32Array(scores.buffer, scores.byteOffset, to);
    const alive = this.alive;
    const margin = maxBoost * (1 + 1e-4);
    let floor = top.size === top.capacity ? top.floor : 0;
    let total = collector.total;
    for (let doc = from; doc < to; doc += 1) {
      const word = bits[doc] ?? 0;
      const isAlive = alive[doc] ?? 0;
      total += (((word | -word) >>> 31) | ((union[(doc - from) >>> 5] ?? 0) >>> (doc & 31))) & 1 & isAlive;
      let score = scores[doc] ?? 0;
      if ((score + skippedBound) * margin > floor && score !== 0 && isAlive === 1) {
        // Most promising terms first; stop once even all the rest could not lift the document over the floor.
        let rest = skippedBound;
        for (let index = skipped.length - 1; index >= 0 && (score + rest) * margin > floor; index -= 1) {
          const position = skipped[index] ?? 0;
          const { docs, impacts, length } = lists[position] as Postings;
          const at = gallop(docs, doc, cursors[position] ?? 0, length);
          cursors[position] = at;
          if (docs[at] === doc) {
            score = Math.fround(score + (termWeights[position] ?? 0) * (impacts[at] ?? 0));
          }
          rest -= bounds[position] ?? 0;
        }
        const boosted = levelFactors || recency ? score * ((levelFactors ? (levelFactors[this.level[doc] ?? 0] ?? 1) : 1) * (recency ? (recency[this.year[doc] ?? 0] ?? 1) : 1)) : score;
        if (boosted > floor) {
          top.push(boosted, doc);
          if (top.size === top.capacity) {
            floor = top.floor;
          }
        }
      }
    }
    scores.fill(0, from, to);
    for (const position of skipped) {
      const { docs, length } = lists[position] as Postings;
      cursors[position] = to >= this.ids.length ? length : lowerBound(docs, to, cursors[position] ?? 0, length);
    }
    collector.total = total;
  }

  /** Sets a required term's bit on the documents of its postings from `from` to `to`. */
  private markRequired(list: Postings, bit: number, from: number, to: number): void {
    if (bit === 0) {
      return;
    }
    const { docs } = list;
    const matched = this.matched;
    for (let at = from; at < to; at += 1) {
      const doc = docs[at] ?? 0;
      matched[doc] = (matched[doc] ?? 0) | bit;
    }
  }

  /**
   * collect() for documents `from` to `to` when there are no filters and no required terms: the
   * count of matches is kept without a branch (a score's bits are zero exactly when it is 0), and
   * only a score that could enter the heap is looked at further; the scores are reset in one go.
   * A query matching half the documents at random would otherwise mispredict a branch per document.
   */
  private collectDense(collector: Collector, from: number, to: number): void {
    const { top, levelFactors, recency, maxBoost } = collector;
    const scores = this.scores;
    const bits = new Uint32Array(scores.buffer, scores.byteOffset, to);
    const alive = this.alive;
    let floor = top.size === top.capacity ? top.floor : 0;
    let total = collector.total;
    for (let doc = from; doc < to; doc += 1) {
      const word = bits[doc] ?? 0;
      const isAlive = alive[doc] ?? 0;
      total += ((word | -word) >>> 31) & isAlive;
      const score = scores[doc] ?? 0;
      if (score * maxBoost > floor && isAlive === 1) {
        const boosted = levelFactors || recency ? score * ((levelFactors ? (levelFactors[this.level[doc] ?? 0] ?? 1) : 1) * (recency ? (recency[this.year[doc] ?? 0] ?? 1) : 1)) : score;
        if (boosted > floor) {
          top.push(boosted, doc);
          if (top.size === top.capacity) {
            floor = top.floor;
          }
        }
      }
    }
    scores.fill(0, from, to);
    collector.total = total;
  }

  /**
   * Takes scored documents into the heap (those alive, passing the filters and holding every
   * required term) and resets their scores: documents `from` to `to`, or the touched list's.
   */
  private collect(collector: Collector, touched: Uint32Array<ArrayBufferLike> | undefined, from: number, to: number): void {
    const { top, requiredBit, filters, levelFactors, recency } = collector;
    const allRequired = (1 << requiredBit) - 1;
    const scores = this.scores;
    const matched = this.matched;
    const alive = this.alive;
    let floor = top.size === top.capacity ? top.floor : -Infinity;
    let total = collector.total;
    for (let position = from; position < to; position += 1) {
      const doc = touched ? (touched[position] ?? 0) : position;
      let score = scores[doc] ?? 0;
      if (score === 0) {
        continue;
      }
      scores[doc] = 0;
      if (requiredBit > 0) {
        const seen = matched[doc] ?? 0;
        matched[doc] = 0;
        if (seen !== allRequired) {
          continue;
        }
      }
      if (alive[doc] !== 1 || (filters && !this.passesFilters(doc, filters))) {
        continue;
      }
      total += 1;
      if (levelFactors || recency) {
        score *= (levelFactors ? (levelFactors[this.level[doc] ?? 0] ?? 1) : 1) * (recency ? (recency[this.year[doc] ?? 0] ?? 1) : 1);
      }
      if (score > floor) {
        top.push(score, doc);
        if (top.size === top.capacity) {
          floor = top.floor;
        }
      }
    }
    collector.total = total;
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
    let expansion: { terms: string[]; words: string[] } = { terms: [], words: [] };
    /** Documents holding the query's own terms under the filters: the first pass's total, when there is one. */
    let ownTotal: number | undefined;

    if (options.expand && this.loadTexts && weights.size > 0) {
      const first = this.score(weights, required, filters, this.settings.feedback.documents, undefined);
      ownTotal = first.total;
      expansion = await this.expandQuery(weights, first.top);
    }
    const hasPhrases = parsed.phrases.length > 0 && this.loadTexts !== undefined;
    let { top, total } = this.score(weights, required, filters, hasPhrases ? Math.max(wanted * 4, 200) : wanted, boost);
    if (hasPhrases) {
      const verified = await this.verifyPhrases(top, parsed.phrases);
      // Only the best candidates are checked against their text; the total is the verified share of all candidates.
      total = top.length === 0 ? 0 : Math.round((total * verified.length) / top.length);
      top = verified;
    }
    // Widening adds terms, so the documents matching the query's own terms are a subset of those it
    // matches now. With phrases every document holds the phrases' terms (they are required), so all match.
    const isWidened = expansion.terms.length > 0 && !hasPhrases;
    const matching = isWidened && ownTotal !== undefined ? Math.min(ownTotal, total) : total;
    const ownLists = isWidened ? queryTerms.flatMap((term) => this.postings.get(term) ?? []) : [];
    const hits = top.slice(offset, wanted).map(({ score, doc }) => ({
      id: this.ids[doc] as RecordId,
      score,
      isRelated: isWidened && !ownLists.some((list) => list.find(doc) >= 0),
      ...(options.explain ? { explanation: this.explain(doc, weights, parsed.words, boost, expansion.words) } : {}),
    }));
    return { hits, total, matching, expandedWith: expansion.words, terms: queryTerms };
  }

  /**
   * RM3 (Abdul-Jaleel et al. 2004): a relevance model from the first pass's top documents, each
   * weighted by its score, mixed with the original query. Adds the expansion terms to `weights`.
   */
  private async expandQuery(weights: Map<string, number>, top: { score: number; doc: number }[]): Promise<{ terms: string[]; words: string[] }> {
    if (top.length === 0 || !this.loadTexts) {
      return { terms: [], words: [] };
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
    return { terms: added, words: wordsFor(added, [...texts.values()]) };
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
    const explanation: SearchExplanation['terms'] = [];
    for (const [term, weight] of weights) {
      const list = this.postings.get(term);
      const at = list ? list.find(doc) : -1;
      if (!list || at < 0) {
        continue;
      }
      this.refreshImpacts(list);
      const frequencies = [list.frequencies[at * 3] ?? 0, list.frequencies[at * 3 + 1] ?? 0, list.frequencies[at * 3 + 2] ?? 0];
      const names = (['title', 'abstract', 'keywords'] as const).filter((_, field) => (frequencies[field] ?? 0) > 0);
      explanation.push({ term: words.get(term) ?? term, score: Math.round(this.idf(term) * weight * (list.impacts[at] ?? 0) * 1000) / 1000, fields: names });
    }
    explanation.sort((left, right) => right.score - left.score);
    const year = this.year[doc] ?? 0;
    return {
      terms: explanation,
      boosts: {
        evidenceLevel: boost?.evidenceLevel ? (levelFactorTable[this.level[doc] ?? 0] ?? 1) : 1,
        recency: boost?.recency && year > 0 ? recencyFactor(boost.currentYear, year) : 1,
      },
      expandedWith,
    };
  }

  /** Library number of a library id, for callers that keep their own per-library counts. */
  libraryNumber(id: LibraryId): number {
    return this.libraries.indexOf(id);
  }

  /**
   * What a snapshot file stores, without copying the postings: per-document arrays (views up to
   * the document count) and each term's postings, with every impact brought up to date first.
   */
  snapshotParts(): SnapshotParts {
    const count = this.ids.length;
    const terms: string[] = [];
    const lists: Postings[] = [];
    for (const [term, list] of this.postings) {
      this.refreshImpacts(list);
      terms.push(term);
      lists.push(list);
    }
    return {
      ids: this.ids,
      libraries: this.libraries,
      library: this.library.subarray(0, count),
      year: this.year.subarray(0, count),
      design: this.design.subarray(0, count),
      level: this.level.subarray(0, count),
      alive: this.alive.subarray(0, count),
      lengths: this.lengths.subarray(0, count * FIELDS),
      norms: this.norms.subarray(0, count * FIELDS),
      totals: [...this.totals],
      normAverages: [...this.normAverages],
      liveCount: this.liveCount,
      deadCount: this.deadCount,
      terms,
      lists,
    };
  }

  /**
   * An index over a snapshot's arrays, without copying them: postings are views until a term
   * grows. The impacts must belong to the norms stored with them (saveSnapshot makes sure).
   */
  static fromState(state: IndexState, loadTexts?: TextLoader, settings: Partial<IndexSettings> = {}): InMemoryEvidenceIndex {
    const index = new InMemoryEvidenceIndex(loadTexts, settings);
    index.ids = state.ids;
    // Searching needs no id → document table: it is built when the first change arrives.
    index.documentTable = undefined;
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
    index.touched = new Uint32Array(Math.max(1024, count));
    index.matched = new Uint32Array(Math.max(1024, count));
    state.terms.forEach((term, position) => {
      const start = state.offsets[position] ?? 0;
      const end = state.offsets[position + 1] ?? start;
      index.postings.set(term, new Postings(state.docs.subarray(start, end), state.frequencies.subarray(start * 3, end * 3), state.impacts.subarray(start, end), index.generation));
    });
    return index;
  }
}

/**
 * The word people read for each term (stems such as "isol" are not words): the form it takes most
 * often in the texts, in lower case, or the term itself when none holds it.
 */
const wordsFor = (terms: readonly string[], texts: readonly string[]): string[] => {
  const wanted = new Set(terms);
  const forms = new Map<string, Map<string, number>>();
  for (const text of texts) {
    for (const token of tokenize(text)) {
      if (wanted.has(token.term)) {
        const word = text.slice(token.start, token.end).toLowerCase();
        const counts = forms.get(token.term) ?? new Map<string, number>();
        counts.set(word, (counts.get(word) ?? 0) + 1);
        forms.set(token.term, counts);
      }
    }
  }
  return terms.map((term) => {
    let best = term;
    let bestCount = 0;
    for (const [word, count] of forms.get(term) ?? []) {
      if (count > bestCount || (count === bestCount && word < best)) {
        best = word;
        bestCount = count;
      }
    }
    return best;
  });
};

/** Evidence-level boost factor by level (level 1 most). */
const levelFactorTable = Float64Array.from({ length: 256 }, (_, level) => 1 + (levelBoost[level] ?? 0));
const maxLevelFactor = levelFactorTable.reduce((max, value) => Math.max(max, value), 0);

/** Up to +15% for this year's work, halving every ten years. */
const recencyFactor = (currentYear: number, year: number): number => 1 + 0.15 * Math.pow(0.5, Math.max(0, currentYear - year) / 10);

/** A loaded snapshot: flat arrays, each term's postings at offsets[term]…offsets[term + 1]. */
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
  impacts: Float32Array<ArrayBufferLike>;
}

/** What saveSnapshot writes: the per-document arrays and the terms with their postings (not copied). */
export type SnapshotParts = Omit<IndexState, 'offsets' | 'docs' | 'frequencies' | 'impacts'> & { lists: Postings[] };

/** Documents a scoring block covers: 128k documents' scores are 512 KiB, within a core's cache. */
const SCORE_BLOCK = 1 << 17;

/**
 * Adds weight·impact into each posting's document score, postings `from` to `to`. Unrolled by
 * eight: a term holds each document once, so the eight updates are independent and the processor
 * overlaps their memory accesses (about a third faster than the plain loop in V8).
 */
const accumulate = (scores: Float32Array<ArrayBufferLike>, docs: Uint32Array<ArrayBufferLike>, impacts: Float32Array<ArrayBufferLike>, from: number, to: number, weight: number): void => {
  let at = from;
  for (; at + 7 < to; at += 8) {
    const d0 = docs[at] ?? 0;
    const d1 = docs[at + 1] ?? 0;
    const d2 = docs[at + 2] ?? 0;
    const d3 = docs[at + 3] ?? 0;
    const d4 = docs[at + 4] ?? 0;
    const d5 = docs[at + 5] ?? 0;
    const d6 = docs[at + 6] ?? 0;
    const d7 = docs[at + 7] ?? 0;
    scores[d0] = (scores[d0] ?? 0) + weight * (impacts[at] ?? 0);
    scores[d1] = (scores[d1] ?? 0) + weight * (impacts[at + 1] ?? 0);
    scores[d2] = (scores[d2] ?? 0) + weight * (impacts[at + 2] ?? 0);
    scores[d3] = (scores[d3] ?? 0) + weight * (impacts[at + 3] ?? 0);
    scores[d4] = (scores[d4] ?? 0) + weight * (impacts[at + 4] ?? 0);
    scores[d5] = (scores[d5] ?? 0) + weight * (impacts[at + 5] ?? 0);
    scores[d6] = (scores[d6] ?? 0) + weight * (impacts[at + 6] ?? 0);
    scores[d7] = (scores[d7] ?? 0) + weight * (impacts[at + 7] ?? 0);
  }
  for (; at < to; at += 1) {
    const doc = docs[at] ?? 0;
    scores[doc] = (scores[doc] ?? 0) + weight * (impacts[at] ?? 0);
  }
};

/** lowerBound from `from` by galloping: cheap when the document sought is near. */
const gallop = (docs: Uint32Array<ArrayBufferLike>, doc: number, from: number, to: number): number => {
  let step = 1;
  let low = from;
  let high = from;
  while (high < to && (docs[high] ?? 0) < doc) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  return lowerBound(docs, doc, low, Math.min(high, to));
};

/** The first position in [from, to) whose document is at least `doc` (postings ascend). */
const lowerBound = (docs: Uint32Array<ArrayBufferLike>, doc: number, from: number, to: number): number => {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((docs[middle] ?? 0) < doc) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
};

interface Collector {
  top: TopK;
  total: number;
  requiredBit: number;
  filters: CompiledFilters | undefined;
  levelFactors: Float64Array | undefined;
  recency: Float64Array | undefined;
  /** No boost factor is above this. */
  maxBoost: number;
}

const maxOf = (values: Float64Array): number => values.reduce((max, value) => Math.max(max, value), 0);

interface CompiledFilters {
  yearFrom: number | undefined;
  yearTo: number | undefined;
  designs?: Uint8Array;
  levels?: Uint8Array;
  libraries?: Set<number>;
  /** Only these documents, one byte each (the search service's theme filter, as record ids). */
  documents?: Uint8Array;
}

type BoostSettings = NonNullable<SearchOptions['boosts']>;
