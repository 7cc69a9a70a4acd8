import { describe, expect, it } from 'vitest';
import type { RecordId, UserId } from '../shared/ids.js';
import { guidanceFor, screeningCurve, screeningSequence } from './screening-curve.js';
import type { Resolution, ScreeningDecision } from './types.js';

let nextId = 1;
const decided = (record: string, decision: ScreeningDecision['decision'], options: Partial<ScreeningDecision> = {}): ScreeningDecision => ({
  id: nextId++,
  recordId: record as RecordId,
  stage: 'title_abstract',
  screenerId: 'u1' as UserId,
  screenerName: 'Ada',
  decision,
  reason: decision === 'exclude' ? 'Wrong population' : undefined,
  modelVersion: 'nb-v1',
  rankPosition: 1,
  isCurrent: true,
  decidedAt: new Date('2026-12-08T10:00:00Z'),
  ...options,
});

/** A screening order of `labels`, the first `seeds` picked before any model (protocol order). */
const decisionsFor = (labels: number[], seeds: number): ScreeningDecision[] =>
  labels.map((label, index) => decided(`r${index}`, label === 1 ? 'include' : 'exclude', { modelVersion: index < seeds ? 'protocol' : `nb-v${index}` }));

describe('screeningSequence', () => {
  it('lists records in the order first screened with the team’s final label, and counts the decisions before any model as the seed', () => {
    const decisions = [
      decided('a', 'include', { modelVersion: 'protocol' }),
      decided('b', 'exclude', { modelVersion: undefined }),
      decided('c', 'maybe', { modelVersion: 'nb-v1' }),
      // A second screener's exclusion of a record already screened does not add it again.
      decided('a', 'exclude', { screenerId: 'u2' as UserId, modelVersion: 'nb-v2' }),
      decided('d', 'exclude', { modelVersion: 'nb-v2' }),
      // A retired decision and full-text decisions are not title-and-abstract screening.
      decided('e', 'include', { isCurrent: false, modelVersion: 'nb-v3' }),
      decided('c', 'include', { stage: 'full_text', modelVersion: undefined }),
    ];
    const resolutions: Resolution[] = [{ recordId: 'd' as RecordId, stage: 'title_abstract', decision: 'include', reason: undefined, resolvedBy: 'u3' as UserId, resolvedByName: 'Arbiter', resolvedAt: new Date() }];
    // a stays relevant (one of its two screeners included it); the arbiter's inclusion of d is its final label.
    expect(screeningSequence(decisions, resolutions)).toEqual({ labels: [1, 0, 1, 1], seedDecisions: 2 });
    expect(screeningSequence([decided('x', 'include', { modelVersion: 'protocol' })], [])).toEqual({ labels: [1], seedDecisions: 1 });
  });
});

describe('screeningCurve', () => {
  // Two seed decisions, then inclusions early and few later: a curve that bends.
  const labels = [1, 0, ...Array.from({ length: 200 }, (_, index) => (index < 40 ? (index % 2 === 0 ? 1 : 0) : index % 40 === 0 ? 1 : 0))];
  const decisions = decisionsFor(labels, 2);
  const sequence = screeningSequence(decisions, []);
  const guidance = guidanceFor(decisions, [], 1000);
  const curve = screeningCurve(sequence, guidance, 1000);

  it('keeps the corners of the staircase: the start, each inclusion and the last record screened', () => {
    const found = labels.reduce((sum, label) => sum + label, 0);
    expect(curve).toMatchObject({ screened: 202, included: found, totalRecords: 1000, seedDecisions: 2, seedIncluded: 1 });
    expect(curve.points[0]).toEqual([0, 0]);
    expect(curve.points[1]).toEqual([1, 1]);
    expect(curve.points.at(-1)).toEqual([202, found]);
    expect(curve.points).toHaveLength(found + 2);
    // Each point after the start is one inclusion more than the one before, except the last (no inclusion there).
    expect(curve.points.slice(1, -1).every(([, foundThen], index) => foundThen === index + 1)).toBe(true);
    expect(curve.lineFrom).toEqual([2, 1]);
  });

  it('marks the knee the stopping guidance found, on the curve', () => {
    expect(guidance.knee.kneeAt).toBeDefined();
    const kneeAt = guidance.knee.kneeAt ?? 0;
    expect(curve.knee).toEqual([kneeAt, labels.slice(0, kneeAt).reduce((sum, label) => sum + label, 0)]);
    expect(curve.description).toContain(`The curve bends at record ${kneeAt}`);
    expect(curve.description).toContain('The first 2 decisions came before the model ordered the records');
  });

  it('gives ten evenly spaced rows with the inclusions found in each stretch', () => {
    expect(curve.rows).toHaveLength(10);
    expect(curve.rows.at(-1)).toMatchObject({ screened: 202, found: curve.included });
    expect(curve.rows.reduce((sum, row) => sum + row.foundInStretch, 0)).toBe(curve.included);
    expect(curve.rows.map((row) => row.screened)).toEqual([20, 40, 61, 81, 101, 121, 141, 162, 182, 202]);
  });

  it('says what it can with few decisions, in the singular where there is one', () => {
    const two = decisionsFor([1, 0], 2);
    const small = screeningCurve(screeningSequence(two, []), guidanceFor(two, [], 10), 10);
    expect(small).toMatchObject({ screened: 2, included: 1, knee: undefined, points: [[0, 0], [1, 1], [2, 1]] });
    expect(small.rows).toHaveLength(2);
    expect(small.description).toBe(
      '2 records of 10 screened at title and abstract, 1 inclusion found, the last at record 1 (1 record since). All of them came before the model ordered the records (it needs an inclusion and an exclusion first), so the knee method has nothing to read yet.',
    );
    const three = decisionsFor([1, 0, 0], 2);
    expect(screeningCurve(screeningSequence(three, []), guidanceFor(three, [], 10), 10).description).toBe(
      '3 records of 10 screened at title and abstract, 1 inclusion found, the last at record 1 (2 records since). The first 2 decisions came before the model ordered the records, and the knee method leaves them out. The knee method finds no knee in the curve yet.',
    );
    const none = screeningCurve(screeningSequence([], []), guidanceFor([], [], 10), 10);
    expect(none).toMatchObject({ screened: 0, points: [[0, 0]], rows: [], description: 'No record has been screened yet.' });
  });
});
