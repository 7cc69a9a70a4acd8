/**
 * One term's postings: ascending internal document numbers, and for each the term's frequency in
 * the three fields (title, abstract, keywords), capped at 255. Stored in typed arrays that grow by
 * doubling, so that adding documents one by one stays cheap and memory stays compact
 * (7 bytes a posting).
 */
export class Postings {
  docs: Uint32Array<ArrayBufferLike>;
  /** Three bytes a posting: title, abstract and keywords frequencies. */
  frequencies: Uint8Array<ArrayBufferLike>;
  length: number;

  constructor(docs?: Uint32Array<ArrayBufferLike>, frequencies?: Uint8Array<ArrayBufferLike>) {
    this.docs = docs ?? new Uint32Array(4);
    this.frequencies = frequencies ?? new Uint8Array(12);
    this.length = docs?.length ?? 0;
  }

  add(doc: number, title: number, abstract: number, keywords: number): void {
    if (this.length === this.docs.length) {
      const docs = new Uint32Array(Math.max(4, this.docs.length * 2));
      docs.set(this.docs.subarray(0, this.length));
      this.docs = docs;
      const frequencies = new Uint8Array(docs.length * 3);
      frequencies.set(this.frequencies.subarray(0, this.length * 3));
      this.frequencies = frequencies;
    }
    const at = this.length;
    this.docs[at] = doc;
    this.frequencies[at * 3] = Math.min(255, title);
    this.frequencies[at * 3 + 1] = Math.min(255, abstract);
    this.frequencies[at * 3 + 2] = Math.min(255, keywords);
    this.length += 1;
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
