import { describe, expect, it } from 'vitest';
import { buildFeatures } from './features.js';
import { renderRecallPlot } from './recall-plot.js';
import { decisionsPerRetrain, simulateScreening } from './simulate.js';

// 8 relevant records about statins among 40 about other things, each with its own words.
const topics = ['housing', 'reading', 'cycling', 'loneliness', 'employment', 'parenting', 'fuel', 'air'];
const records = [
  ...Array.from({ length: 8 }, (_, index) => ({ title: `Statin trial ${index}`, abstract: `Statins, cholesterol and cardiovascular events in cohort ${index}.`, isIncluded: true })),
  ...Array.from({ length: 40 }, (_, index) => ({
    title: `${topics[index % 8]} study ${index}`,
    abstract: `Outcomes of ${topics[index % 8]} and ${topics[(index + 3) % 8]} programmes in area ${index}.`,
    isIncluded: false,
  })),
];
const space = buildFeatures(records);
const labels = Uint8Array.from(records, (record) => (record.isIncluded ? 1 : 0));

describe('simulateScreening', () => {
  it.each(['nb', 'logistic'] as const)('finds every inclusion of a separable set first with %s', (model) => {
    const result = simulateScreening(space.matrix, labels, { model, seed: 3 });
    expect(result.priors).toHaveLength(2);
    expect(result.order).toHaveLength(46);
    expect(result.found).toBe(7);
    // The 7 remaining inclusions are the first 7 records screened.
    expect(result.recallCurve.at(-2)).toEqual([7, 7]);
    expect(result.wss100).toBeCloseTo(100 - (100 * 7) / 46, 2);
    expect(result.retrains).toBe(46);
  });

  it('is the same for the same seed and differs between seeds in random order', () => {
    const first = simulateScreening(space.matrix, labels, { model: 'random', seed: 1 });
    expect(Array.from(simulateScreening(space.matrix, labels, { model: 'random', seed: 1 }).order)).toEqual(Array.from(first.order));
    expect(Array.from(simulateScreening(space.matrix, labels, { model: 'random', seed: 2 }).order)).not.toEqual(Array.from(first.order));
    const withModel = simulateScreening(space.matrix, labels, { model: 'nb', seed: 4, randomShare: 0.3 });
    expect(Array.from(simulateScreening(space.matrix, labels, { model: 'nb', seed: 4, randomShare: 0.3 }).order)).toEqual(Array.from(withModel.order));
  });

  it('takes K prior inclusions and exclusions, and refuses more than the set has', () => {
    const result = simulateScreening(space.matrix, labels, { priorIncluded: 3, priorExcluded: 5, seed: 2 });
    expect(Array.from(result.priors, (record) => labels[record])).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    expect(result.found).toBe(5);
    expect(() => simulateScreening(space.matrix, labels, { priorIncluded: 9 })).toThrow(/9 prior inclusions/);
  });

  it('screens at random until both classes are known when the priors hold one class', () => {
    const result = simulateScreening(space.matrix, labels, { priorIncluded: 0, priorExcluded: 1, seed: 5 });
    expect(result.order).toHaveLength(47);
    expect(result.found).toBe(8);
  });

  it('retrains less often on the growing schedule', () => {
    expect([0, 199, 200, 1000, 10_000].map((screened) => decisionsPerRetrain('growing', screened))).toEqual([1, 1, 2, 10, 100]);
    expect(decisionsPerRetrain(5, 0)).toBe(5);
    const result = simulateScreening(space.matrix, labels, { retrain: 4, seed: 3 });
    expect(result.retrains).toBe(12);
  });
});

describe('renderRecallPlot', () => {
  it('draws the curve beside random order with an accessible title and description', () => {
    const result = simulateScreening(space.matrix, labels, { seed: 3 });
    const svg = renderRecallPlot(result, 'Statins & <friends>');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<title id="recall-title">Statins &amp; &lt;friends&gt;</title>');
    expect(svg).toContain('<desc id="recall-desc">Recall curve of 46 records');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('<polyline points="');
    expect(svg.trimEnd()).toMatch(/<\/svg>$/);
  });
});
