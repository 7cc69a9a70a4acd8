import { describe, expect, it } from 'vitest';
import { screeningMetrics } from './metrics.js';

const labelsAt = (total: number, positions: number[]): number[] => Array.from({ length: total }, (_, index) => (positions.includes(index + 1) ? 1 : 0));

describe('screeningMetrics', () => {
  it('computes WSS, RRF and ATD on a tiny curve by hand', () => {
    // 10 records, inclusions at 1 and 3: recall 100% after 30% screened.
    const metrics = screeningMetrics(labelsAt(10, [1, 3]));
    expect(metrics).toMatchObject({ screened: 10, found: 2, wss95: 70, wss100: 70, rrf10: 50, atd: 20 });
    expect(metrics.recallCurve).toEqual([
      [0, 0],
      [1, 1],
      [3, 2],
      [10, 2],
    ]);
  });

  it('reads WSS@95 at the first point with recall of 95% or more, and WSS@100 at the last inclusion', () => {
    // 40 records, 20 inclusions at 1–19 and 40: 95% recall after 19 records (47.5%), 100% only at the end.
    const metrics = screeningMetrics(labelsAt(40, [...Array.from({ length: 19 }, (_, index) => index + 1), 40]));
    expect(metrics.wss95).toBe(47.5);
    expect(metrics.wss100).toBe(0);
    // 10% of 40 is 4 records, with 4 of 20 inclusions found.
    expect(metrics.rrf10).toBe(20);
    // The mean of 100·position/40 over 1…19 and 40: (2.5 · 190 + 100) / 20.
    expect(metrics.atd).toBe(28.75);
    expect(metrics.recallCurve.at(-1)).toEqual([40, 20]);
  });

  it('gives about 0 for random order and near 100 for a perfect one', () => {
    expect(screeningMetrics(labelsAt(1000, [1, 2, 3, 4, 5])).wss95).toBe(99.5);
    const evenlySpread = screeningMetrics(labelsAt(1000, [200, 400, 600, 800, 1000]));
    expect(evenlySpread.wss95).toBe(0);
    expect(evenlySpread.atd).toBe(60);
  });

  it('reports zeros when nothing is relevant', () => {
    expect(screeningMetrics([0, 0, 0])).toMatchObject({ wss95: 0, wss100: 0, rrf10: 0, atd: 0, recallCurve: [[0, 0], [3, 0]] });
  });
});
