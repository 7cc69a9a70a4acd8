import { describe, expect, it } from 'vitest';
import type { RecordId, UserId } from '../shared/ids.js';
import { cohensKappa, pairwiseAgreement } from './agreement.js';
import type { Decision, ScreeningDecision } from './types.js';

const repeat = (times: number, pair: [Decision, Decision]) => Array.from({ length: times }, () => pair);

describe('Cohen’s kappa', () => {
  it('matches the worked example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no gives pₒ 0.7, pₑ 0.5, κ 0.4', () => {
    const pairs = [...repeat(20, ['include', 'include']), ...repeat(5, ['include', 'exclude']), ...repeat(10, ['exclude', 'include']), ...repeat(15, ['exclude', 'exclude'])];
    const { observed, kappa } = cohensKappa(pairs);
    expect(observed).toBeCloseTo(0.7, 10);
    expect(kappa).toBeCloseTo(0.4, 10);
  });

  it('is 1 for perfect agreement across categories and negative for systematic disagreement', () => {
    expect(cohensKappa([...repeat(3, ['include', 'include']), ...repeat(3, ['exclude', 'exclude'])]).kappa).toBe(1);
    expect(cohensKappa([...repeat(3, ['include', 'exclude']), ...repeat(3, ['exclude', 'include'])]).kappa).toBe(-1);
  });

  it('is undefined when both screeners only ever chose one and the same category', () => {
    expect(cohensKappa(repeat(4, ['exclude', 'exclude']))).toEqual({ observed: 1, kappa: undefined });
    expect(cohensKappa([])).toEqual({ observed: 0, kappa: undefined });
  });
});

describe('pairwise agreement', () => {
  const decision = (screener: string, record: string, choice: Decision, isCurrent = true): ScreeningDecision => ({
    id: 0,
    recordId: record as RecordId,
    stage: 'title_abstract',
    screenerId: screener as UserId,
    screenerName: screener.toUpperCase(),
    decision: choice,
    reason: choice === 'exclude' ? 'Wrong population' : undefined,
    modelVersion: undefined,
    rankPosition: undefined,
    isCurrent,
    decidedAt: new Date(0),
  });

  it('compares each pair of screeners on the records both screened, using current decisions only', () => {
    const decisions = [
      decision('a', 'r1', 'include'),
      decision('b', 'r1', 'include'),
      decision('a', 'r2', 'exclude'),
      decision('b', 'r2', 'include', false),
      decision('b', 'r2', 'exclude'),
      decision('a', 'r3', 'include'),
      decision('c', 'r3', 'exclude'),
      decision('b', 'r4', 'maybe'),
    ];
    const pairs = pairwiseAgreement(decisions, 'title_abstract');
    expect(pairs.map((pair) => [pair.screeners.map((screener) => screener.name).join('+'), pair.records, pair.observed])).toEqual([
      ['A+B', 2, 1],
      ['A+C', 1, 0],
    ]);
    expect(pairs[0]?.kappa).toBe(1);
    expect(pairwiseAgreement(decisions, 'full_text')).toEqual([]);
  });
});
