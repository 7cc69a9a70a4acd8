import { describe, expect, it } from 'vitest';
import { buildFeatures } from './features.js';
import { orderForScreening } from './query.js';
import { createRandom } from './random.js';
import { rankRecords } from './rank.js';

const records = [
  { title: 'Housing first for homeless adults', abstract: 'Tenancy outcomes.' },
  { title: 'Statins and cardiovascular events', abstract: 'A randomised trial of statin therapy.' },
  { title: 'Reading interventions in schools', abstract: 'Phonics and reading.' },
  { title: 'Statin therapy after myocardial infarction', abstract: 'Cardiovascular mortality fell.' },
  { title: 'Cycling to work', abstract: 'Commuting by bicycle.' },
  { title: 'Aspirin and myocardial infarction', abstract: 'A randomised trial.' },
];
// Six records: keep the words found once too, or little is left to rank by.
const space = buildFeatures(records, { minDocumentFrequency: 1 });

describe('rankRecords', () => {
  it('keeps file order with neither protocol nor decisions', () => {
    const ranking = rankRecords(space, []);
    expect(ranking.method).toBe('file-order');
    expect(Array.from(ranking.order)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('starts cold from the protocol text', () => {
    const ranking = rankRecords(space, [], { protocol: 'Do statins reduce cardiovascular events after myocardial infarction?' });
    expect(ranking.method).toBe('protocol');
    expect(Array.from(ranking.order.slice(0, 2)).sort()).toEqual([1, 3]);
    expect(ranking.explanation).toContain('protocol');
  });

  it('moves towards the inclusions while there are no exclusions yet', () => {
    const ranking = rankRecords(space, [{ record: 5, isIncluded: true }]);
    expect(ranking.method).toBe('relevance-feedback');
    expect(ranking.order).not.toContain(5);
    expect(Array.from(ranking.order.slice(0, 2)).sort()).toEqual([1, 3]);
  });

  it('trains a model once both classes are decided, leaving decided records out of the order', () => {
    for (const model of ['nb', 'logistic'] as const) {
      const ranking = rankRecords(
        space,
        [
          { record: 1, isIncluded: true },
          { record: 0, isIncluded: false },
          { record: 2, isIncluded: false },
        ],
        { model },
      );
      expect(ranking.method).toBe('model');
      expect(ranking.model).toBeDefined();
      expect(Array.from(ranking.order.slice(0, 2)).sort()).toEqual([3, 5]);
      expect(ranking.order).toHaveLength(3);
      expect(Number.isNaN(ranking.scores[1])).toBe(true);
    }
  });

  it('keeps file order after exclusions alone when there is no protocol', () => {
    const ranking = rankRecords(space, [{ record: 0, isIncluded: false }]);
    expect(ranking.method).toBe('file-order');
    expect(Array.from(ranking.order)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets a later decision on a record replace an earlier one', () => {
    const ranking = rankRecords(space, [
      { record: 1, isIncluded: false },
      { record: 1, isIncluded: true },
      { record: 0, isIncluded: false },
    ]);
    expect(ranking.explanation).toContain('2 decisions (1 included)');
  });

  it('rejects a decision on a record the review does not have', () => {
    expect(() => rankRecords(space, [{ record: 6, isIncluded: true }])).toThrow(RangeError);
  });

  it('gives the same order for the same seed, with random picks', () => {
    const decisions = [
      { record: 1, isIncluded: true },
      { record: 0, isIncluded: false },
    ];
    const first = rankRecords(space, decisions, { randomShare: 0.5, seed: 9 });
    const again = rankRecords(space, decisions, { randomShare: 0.5, seed: 9 });
    expect(Array.from(again.order)).toEqual(Array.from(first.order));
  });
});

describe('orderForScreening', () => {
  const scores = Float64Array.from([0.1, 0.9, 0.5, 0.9, 0.3]);
  const candidates = [10, 11, 12, 13, 14];

  it('puts the highest scores first, ties by record number', () => {
    expect(Array.from(orderForScreening(scores, candidates, { randomShare: 0 }))).toEqual([11, 13, 12, 14, 10]);
  });

  it('mixes in random picks at the share asked for, deterministically per seed', () => {
    const many = Float64Array.from({ length: 1000 }, (_, index) => 1000 - index);
    const records = Array.from({ length: 1000 }, (_, index) => index);
    const order = orderForScreening(many, records, { randomShare: 0.2, random: createRandom(5) });
    expect(new Set(order).size).toBe(1000);
    // A place is a random pick when it is not the best record still waiting.
    const placed = new Set<number>();
    let randomPicks = 0;
    let best = 0;
    for (const record of order.slice(0, 500)) {
      while (placed.has(best)) {
        best += 1;
      }
      randomPicks += record === best ? 0 : 1;
      placed.add(record);
    }
    expect(randomPicks).toBeGreaterThan(70);
    expect(randomPicks).toBeLessThan(130);
    expect(Array.from(orderForScreening(many, records, { randomShare: 0.2, random: createRandom(5) }))).toEqual(Array.from(order));
  });
});
