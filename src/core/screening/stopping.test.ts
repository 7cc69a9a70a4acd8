import { describe, expect, it } from 'vitest';
import { createRandom } from './random.js';
import { estimateRemaining, fitExponentialRate, kneeMethod, stoppingGuidance } from './stopping.js';

/** 50 inclusions at every other record up to 100, then `after` exclusions: a knee at record 100. */
const kneeAt100 = (after: number): number[] => [...Array.from({ length: 100 }, (_, index) => (index % 2 === 1 ? 1 : 0)), ...Array.from({ length: after }, () => 0)];

describe('kneeMethod', () => {
  it('finds the knee of a gain curve with a known knee and stops once the slope ratio reaches 156 − found', () => {
    const result = kneeMethod(kneeAt100(900));
    expect(result.kneeAt).toBe(100);
    expect(result.foundAtKnee).toBe(50);
    // (50/100) / ((50 − 50 + 1) / (1000 − 100)) = 450, against a target of 156 − 50 = 106.
    expect(result.slopeRatio).toBeCloseTo(450, 9);
    expect(result.targetRatio).toBe(106);
    expect(result.isMet).toBe(true);
  });

  it('does not stop while the rate after the knee could still be the rate before it', () => {
    const result = kneeMethod(kneeAt100(100));
    expect(result.kneeAt).toBe(100);
    expect(result.slopeRatio).toBeCloseTo(50, 9);
    expect(result.isMet).toBe(false);
  });

  it('does not stop before the minimum number of records is screened', () => {
    expect(kneeMethod(kneeAt100(900), { minimumScreened: 2000 }).isMet).toBe(false);
  });

  it('has no knee before the first inclusion', () => {
    expect(kneeMethod([0, 0, 0])).toMatchObject({ kneeAt: undefined, slopeRatio: undefined, isMet: false });
  });
});

describe('remaining relevant records', () => {
  it('recovers an exponential rate from its expected counts', () => {
    const counts = Array.from({ length: 500 }, (_, index) => 0.2 * Math.exp((-3 * (index + 1)) / 500));
    const rate = fitExponentialRate(counts);
    expect(rate.intercept).toBeCloseTo(Math.log(0.2), 6);
    expect(rate.decay).toBeCloseTo(3, 6);
  });

  it('estimates the inclusions still unseen when decisions follow a falling rate', () => {
    const random = createRandom(11);
    const rateAt = (position: number): number => 0.3 * Math.exp(-position / 150);
    const labels = Array.from({ length: 400 }, (_, index) => (random.next() < rateAt(index + 1) ? 1 : 0));
    let truth = 0;
    for (let position = 401; position <= 3000; position += 1) {
      truth += rateAt(position);
    }
    const estimate = estimateRemaining(labels, 3000);
    expect(estimate?.isRateFalling).toBe(true);
    expect(estimate?.remaining).toBeGreaterThan(truth / 2);
    expect(estimate?.remaining).toBeLessThan(truth * 2);
    const found = labels.reduce<number>((sum, label) => sum + label, 0);
    expect(estimate?.recall).toBeCloseTo(found / (found + (estimate?.remaining ?? 0)), 12);
  });

  it('gives no estimate before the first inclusion', () => {
    expect(estimateRemaining([0, 0, 0], 10)).toBeUndefined();
  });
});

describe('stoppingGuidance', () => {
  it('counts records since the last inclusion and explains the numbers', () => {
    const guidance = stoppingGuidance(kneeAt100(900), 5000);
    expect(guidance).toMatchObject({ screened: 1000, included: 50, sinceLastInclusion: 900 });
    expect(guidance.knee.isMet).toBe(true);
    expect(guidance.explanation).toContain('900 records screened since the last inclusion');
    expect(guidance.explanation).toContain('Cormack & Grossman 2016');
    expect(guidance.explanation).toContain('Sneyd & Stevenson 2021');
  });

  it('leaves seed decisions out of the knee and the estimate, and warns while few inclusions are found', () => {
    // A prior inclusion first, then 3 found by the ranking, then 300 exclusions.
    const labels = [1, 0, 1, 1, 1, ...Array.from({ length: 300 }, () => 0)];
    const withSeeds = stoppingGuidance(labels, 2000, { seedDecisions: 2 });
    expect(withSeeds.knee.kneeAt).toBe(5);
    expect(withSeeds.isReliable).toBe(false);
    expect(withSeeds.explanation).toContain('The ranking has found only 3 inclusions so far');
    // The estimate is computed but not put into words while it cannot be trusted.
    expect(withSeeds.estimate).toBeDefined();
    expect(withSeeds.explanation).not.toMatch(/estimated recall|may remain/);
    expect(stoppingGuidance(kneeAt100(900), 5000).explanation).toMatch(/About \d+ relevant records may remain .*estimated recall \d+%/);
    // It says that the estimate has run high, so that nobody stops on it alone.
    expect(stoppingGuidance(kneeAt100(900), 5000).explanation).toContain('it ran high (95% where 91% of the relevant records had been found)');
    // The estimate's recall counts the seed inclusion.
    expect(withSeeds.estimate?.recall).toBeCloseTo(4 / (4 + (withSeeds.estimate?.remaining ?? 0)), 12);
    expect(stoppingGuidance(kneeAt100(900), 5000).isReliable).toBe(true);
  });

  it('says so when nothing has been included yet', () => {
    const guidance = stoppingGuidance([0, 0], 10);
    expect(guidance.sinceLastInclusion).toBe(2);
    expect(guidance.estimate).toBeUndefined();
    expect(guidance.explanation).toContain('No inclusions yet in 2 records screened.');
  });

  it('writes one record and one inclusion in the singular, and says when the ranking has found none', () => {
    // The seed inclusion, then one exclusion the ranking chose.
    const afterSeed = stoppingGuidance([1, 0], 10, { seedDecisions: 1 });
    expect(afterSeed.explanation).toContain('1 record screened since the last inclusion (1 included of 2 screened).');
    expect(afterSeed.explanation).toContain('The ranking has found no inclusion yet');
    expect(afterSeed.explanation).not.toMatch(/\b1 records\b|only 0/);
    const oneFound = stoppingGuidance([1, 1, 0, 0], 10, { seedDecisions: 1 });
    expect(oneFound.explanation).toContain('2 records screened since the last inclusion');
    expect(oneFound.explanation).toContain('The ranking has found only 1 inclusion so far');
    expect(stoppingGuidance([0], 10).explanation).toContain('No inclusions yet in 1 record screened.');
  });
});
