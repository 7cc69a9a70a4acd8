/**
 * One term's postings: ascending internal document numbers, for each the term's frequency in the
 * three fields (title, abstract, keywords), capped at 255, and its impact: the document's BM25F
 * term-frequency part, tf·(k1+1)/(k1+tf) with field weights and length norms baked in, so that
 * scoring a posting is one multiply-add. Stored in typed arrays that grow by doubling, so that
 * adding documents one by one stays cheap and memory stays compact (11 bytes a posting).
 *
 * Impacts depend on the index's length norms: `generation` says which norms they were computed
 * with, and the index recomputes a term's impacts when its norms have moved on since.
 */
export class Postings {
  docs: Uint32Array<ArrayBufferLike>;
  /** Three bytes a posting: title, abstract and keywords frequencies. */
  frequencies: Uint8Array<ArrayBufferLike>;
  /** One float a posting: the BM25F term-frequency part (without idf and query weight). */
  impacts: Float32Array<ArrayBufferLike>;
  length: number;
  /** The norms generation the impacts belong to. */
  generation: number;
  /** An upper bound of the impacts (-1: not known yet); exact once the impacts are recomputed. */
  maxImpact = -1;
  /**
   * For a common term, which documents hold it, one bit each (built when a query first needs it):
   * a query can then count the documents matching it without reading its postings.
   */
  bitmap: Uint32Array | undefined;

  constructor(docs?: Uint32Array<ArrayBufferLike>, frequencies?: Uint8Array<ArrayBufferLike>, impacts?: Float32Array<ArrayBufferLike>, generation = 0) {
    this.docs = docs ?? new Uint32Array(4);
    this.frequencies = frequencies ?? new Uint8Array(12);
    this.impacts = impacts ?? new Float32Array(this.docs.length);
    this.length = docs?.length ?? 0;
    this.generation = generation;
  }

  add(doc: number, title: number, abstract: number, keywords: number, impact: number): void {
    if (this.length === this.docs.length) {
      const docs = new Uint32Array(Math.max(4, this.docs.length * 2));
      docs.set(this.docs.subarray(0, this.length));
      this.docs = docs;
      const frequencies = new Uint8Array(docs.length * 3);
      frequencies.set(this.frequencies.subarray(0, this.length * 3));
      this.frequencies = frequencies;
      const impacts = new Float32Array(docs.length);
      impacts.set(this.impacts.subarray(0, this.length));
      this.impacts = impacts;
    }
    const at = this.length;
    this.docs[at] = doc;
    this.frequencies[at * 3] = Math.min(255, title);
    this.frequencies[at * 3 + 1] = Math.min(255, abstract);
    this.frequencies[at * 3 + 2] = Math.min(255, keywords);
    this.impacts[at] = impact;
    this.length += 1;
    if (impact > this.maxImpact && this.maxImpact >= 0) {
      this.maxImpact = impact;
    }
    if (this.bitmap) {
      if (doc < this.bitmap.length * 32) {
        this.bitmap[doc >>> 5] = (this.bitmap[doc >>> 5] ?? 0) | (1 << (doc & 31));
      } else {
        // Rebuilt, larger, when next needed.
        this.bitmap = undefined;
      }
    }
  }

  /** The bitmap of documents, built for `documents` document numbers and a quarter more (room to grow). */
  documentBitmap(documents: number): Uint32Array {
    if (!this.bitmap) {
      const bitmap = new Uint32Array(Math.ceil((documents * 1.25) / 32) + 32);
      for (let at = 0; at < this.length; at += 1) {
        const doc = this.docs[at] ?? 0;
        bitmap[doc >>> 5] = (bitmap[doc >>> 5] ?? 0) | (1 << (doc & 31));
      }
      this.bitmap = bitmap;
    }
    return this.bitmap;
  }

  /** The largest impact (after a scan when not known). */
  upperImpact(): number {
    if (this.maxImpact < 0) {
      let max = 0;
      for (let at = 0; at < this.length; at += 1) {
        max = Math.max(max, this.impacts[at] ?? 0);
      }
      this.maxImpact = max;
    }
    return this.maxImpact;
  }

  /** The posting index of `doc`, or -1 (postings are sorted, so a binary search). */
  find(doc: number): number {
    let low = 0;
    let high = this.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.docs[middle] ?? 0;
      if (value === doc) {
        return middle;
      }
      if (value < doc) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return -1;
  }

  /** Drops postings of removed documents; returns how many are left. */
  compact(isAlive: (doc: number) => boolean): number {
    let kept = 0;
    for (let index = 0; index < this.length; index += 1) {
      const doc = this.docs[index] ?? 0;
      if (isAlive(doc)) {
        this.docs[kept] = doc;
        this.frequencies[kept * 3] = this.frequencies[index * 3] ?? 0;
        this.frequencies[kept * 3 + 1] = this.frequencies[index * 3 + 1] ?? 0;
        this.frequencies[kept * 3 + 2] = this.frequencies[index * 3 + 2] ?? 0;
        this.impacts[kept] = this.impacts[index] ?? 0;
        kept += 1;
      }
    }
    this.length = kept;
    return kept;
  }
}

/** A fixed-size min-heap of (score, doc): keeps the best `capacity` results seen. */
export class TopK {
  private readonly scores: Float64Array;
  private readonly docs: Uint32Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(Math.max(1, capacity));
    this.docs = new Uint32Array(Math.max(1, capacity));
  }

  /** The lowest score kept, once full; below it nothing can enter. */
  get floor(): number {
    return this.size < this.capacity ? -Infinity : (this.scores[0] ?? -Infinity);
  }

  push(score: number, doc: number): void {
    if (this.capacity === 0) {
      return;
    }
    if (this.size < this.capacity) {
      let at = this.size;
      this.size += 1;
      while (at > 0) {
        const parent = (at - 1) >>> 1;
        if ((this.scores[parent] ?? 0) <= score) {
          break;
        }
        this.scores[at] = this.scores[parent] ?? 0;
        this.docs[at] = this.docs[parent] ?? 0;
        at = parent;
      }
      this.scores[at] = score;
      this.docs[at] = doc;
      return;
    }
    if (score <= (this.scores[0] ?? 0)) {
      return;
    }
    let at = 0;
    for (;;) {
      const left = at * 2 + 1;
      if (left >= this.size) {
        break;
      }
      const right = left + 1;
      const child = right < this.size && (this.scores[right] ?? 0) < (this.scores[left] ?? 0) ? right : left;
      if ((this.scores[child] ?? 0) >= score) {
        break;
      }
      this.scores[at] = this.scores[child] ?? 0;
      this.docs[at] = this.docs[child] ?? 0;
      at = child;
    }
    this.scores[at] = score;
    this.docs[at] = doc;
  }

  /** Best first; ties broken by lower document number (earlier indexed) for stable results. */
  sorted(): { score: number; doc: number }[] {
    const items = Array.from({ length: this.size }, (_, index) => ({ score: this.scores[index] ?? 0, doc: this.docs[index] ?? 0 }));
    return items.sort((left, right) => right.score - left.score || left.doc - right.doc);
  }
}

/**
 * Record id → internal document number, for the documents alive: open addressing (linear
 * probing) over one typed array of document numbers, the ids themselves read from the index's
 * own list. Compact, and quick to fill: a Map of a million string keys takes about a second to
 * build when a snapshot loads.
 */
export class DocumentTable {
  /** Document numbers; EMPTY or DELETED where none. */
  private slots: Int32Array;
  /** Slots holding a number or DELETED (what makes probes longer). */
  private used = 0;
  size = 0;

  constructor(
    private readonly ids: readonly string[],
    expected = 0,
  ) {
    this.slots = new Int32Array(tableSize(expected)).fill(EMPTY);
  }

  get(id: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let slot = hashOf(id) & mask; ; slot = (slot + 1) & mask) {
      const doc = this.slots[slot] ?? EMPTY;
      if (doc === EMPTY) {
        return undefined;
      }
      if (doc >= 0 && this.ids[doc] === id) {
        return doc;
      }
    }
  }

  set(id: string, doc: number): void {
    const mask = this.slots.length - 1;
    let free = -1;
    let slot = hashOf(id) & mask;
    for (; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] ?? EMPTY;
      if (held === EMPTY) {
        break;
      }
      if (held === DELETED) {
        free = free < 0 ? slot : free;
      } else if (this.ids[held] === id) {
        this.slots[slot] = doc;
        return;
      }
    }
    if (free >= 0) {
      this.slots[free] = doc;
    } else {
      this.slots[slot] = doc;
      this.used += 1;
    }
    this.size += 1;
    if (this.used * 2 > this.slots.length) {
      this.rehash();
    }
  }

  delete(id: string): void {
    const mask = this.slots.length - 1;
    for (let slot = hashOf(id) & mask; ; slot = (slot + 1) & mask) {
      const doc = this.slots[slot] ?? EMPTY;
      if (doc === EMPTY) {
        return;
      }
      if (doc >= 0 && this.ids[doc] === id) {
        this.slots[slot] = DELETED;
        this.size -= 1;
        return;
      }
    }
  }

  /** Into a table twice the size of what it holds (deleted slots dropped). */
  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(tableSize(this.size * 2)).fill(EMPTY);
    const mask = this.slots.length - 1;
    for (const doc of old) {
      if (doc >= 0) {
        let slot = hashOf(this.ids[doc] ?? '') & mask;
        while (this.slots[slot] !== EMPTY) {
          slot = (slot + 1) & mask;
        }
        this.slots[slot] = doc;
      }
    }
    this.used = this.size;
  }
}

const EMPTY = -1;
const DELETED = -2;

/** A power of two at least twice `expected` (and at least 1,024). */
const tableSize = (expected: number): number => 2 ** Math.max(10, Math.ceil(Math.log2(Math.max(1, expected) * 2)));

/** FNV-1a over the UTF-16 code units, mixed at the end (ids often differ only in their last characters). */
const hashOf = (id: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index += 1) {
    hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
};
