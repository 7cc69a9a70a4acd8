import { describe, expect, it } from 'vitest';
import { DocumentTable, Postings } from './postings.js';

describe('DocumentTable', () => {
  it('maps ids to document numbers as a Map would, through additions, replacements, deletions and growth', () => {
    const ids: string[] = [];
    const table = new DocumentTable(ids);
    const reference = new Map<string, number>();
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let step = 0; step < 20_000; step += 1) {
      const id = `record-${Math.floor(next() * 3000)}`;
      if (next() < 0.25) {
        table.delete(id);
        reference.delete(id);
      } else {
        // As the index does: every version of a record gets a new document number.
        const doc = ids.push(id) - 1;
        table.set(id, doc);
        reference.set(id, doc);
      }
    }
    expect(table.size).toBe(reference.size);
    for (let number = 0; number < 3000; number += 1) {
      expect(table.get(`record-${number}`)).toBe(reference.get(`record-${number}`));
    }
    expect(table.get('missing')).toBeUndefined();
  });
});

describe('Postings', () => {
  it('keeps a bitmap of its documents in step as documents are added, and rebuilds it when it is outgrown', () => {
    const list = new Postings();
    list.add(3, 1, 0, 0, 0.5);
    list.add(40, 0, 2, 0, 0.7);
    const bitmap = list.documentBitmap(41);
    const has = (doc: number) => ((list.bitmap?.[doc >>> 5] ?? 0) >>> (doc & 31)) & 1;
    expect([has(3), has(40), has(4)]).toEqual([1, 1, 0]);
    list.add(41, 1, 0, 0, 0.9);
    expect(list.bitmap).toBe(bitmap);
    expect(has(41)).toBe(1);
    list.add(bitmap.length * 32 + 5, 1, 0, 0, 0.2);
    expect(list.bitmap).toBeUndefined();
    expect(list.upperImpact()).toBe(Math.fround(0.9));
  });
});
