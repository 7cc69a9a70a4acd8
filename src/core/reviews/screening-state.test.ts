import { describe, expect, it } from 'vitest';
import type { RecordId, UserId } from '../shared/ids.js';
import { awaitingScreener, includedIn, reviewProgress, stageCounts, stageState, trainingLabels } from './screening-state.js';
import type { Decision, Resolution, ScreeningDecision, Stage } from './types.js';

const decide = (screener: string, record: string, choice: Decision, { stage = 'title_abstract' as Stage, reason = choice === 'exclude' ? 'Wrong population' : undefined, isCurrent = true } = {}): ScreeningDecision => ({
  id: 0,
  recordId: record as RecordId,
  stage,
  screenerId: screener as UserId,
  screenerName: screener,
  decision: choice,
  reason,
  modelVersion: undefined,
  rankPosition: undefined,
  isCurrent,
  decidedAt: new Date(0),
});

const resolve = (record: string, choice: Resolution['decision'], stage: Stage = 'title_abstract'): Resolution => ({
  recordId: record as RecordId,
  stage,
  decision: choice,
  reason: choice === 'exclude' ? 'Wrong outcomes' : undefined,
  resolvedBy: 'arbiter' as UserId,
  resolvedByName: 'Arbiter',
  resolvedAt: new Date(0),
});

describe('the state of a record at a stage', () => {
  it('is settled by one decision in single screening, with maybe moving the record on', () => {
    expect(stageState([], undefined, false)).toEqual({ kind: 'to_screen', decisions: 0 });
    expect(stageState([decide('a', 'r', 'maybe')], undefined, false)).toEqual({ kind: 'decided', decision: 'include', reason: undefined, byResolution: false });
    expect(stageState([decide('a', 'r', 'exclude')], undefined, false)).toEqual({ kind: 'decided', decision: 'exclude', reason: 'Wrong population', byResolution: false });
  });

  it('needs two agreeing decisions in dual screening; disagreement is a conflict until resolved', () => {
    expect(stageState([decide('a', 'r', 'include')], undefined, true)).toEqual({ kind: 'to_screen', decisions: 1 });
    expect(stageState([decide('a', 'r', 'include'), decide('b', 'r', 'maybe')], undefined, true).kind).toBe('decided');
    expect(stageState([decide('a', 'r', 'include'), decide('b', 'r', 'exclude')], undefined, true)).toEqual({ kind: 'conflict' });
    expect(stageState([decide('a', 'r', 'include'), decide('b', 'r', 'exclude')], resolve('r', 'exclude'), true)).toEqual({
      kind: 'decided',
      decision: 'exclude',
      reason: 'Wrong outcomes',
      byResolution: true,
    });
  });

  it('treats two exclusions for different reasons as a conflict at full text (PRISMA reports the reason), not at title and abstract', () => {
    const differing = [decide('a', 'r', 'exclude', { reason: 'Wrong population' }), decide('b', 'r', 'exclude', { reason: 'Wrong design' })];
    expect(stageState(differing, undefined, true, 'full_text')).toEqual({ kind: 'conflict' });
    expect(stageState(differing, undefined, true, 'title_abstract')).toMatchObject({ kind: 'decided', decision: 'exclude' });
    const same = [decide('a', 'r', 'exclude', { reason: 'Wrong design' }), decide('b', 'r', 'exclude', { reason: 'Wrong design' })];
    expect(stageState(same, undefined, true, 'full_text')).toEqual({ kind: 'decided', decision: 'exclude', reason: 'Wrong design', byResolution: false });
  });
});

describe('review progress', () => {
  const records = ['r1', 'r2', 'r3', 'r4'] as RecordId[];
  const decisions = [
    decide('a', 'r1', 'include'),
    decide('a', 'r2', 'exclude'),
    decide('a', 'r3', 'maybe'),
    decide('a', 'r1', 'include', { stage: 'full_text' }),
    decide('a', 'r3', 'not_retrieved', { stage: 'full_text' }),
    // A changed mind: only the current decision counts.
    decide('a', 'r4', 'include', { isCurrent: false }),
  ];

  it('takes records included at title and abstract to full text, and counts each stage', () => {
    const progress = reviewProgress(records, { decisions, resolutions: [] }, false);
    expect(progress.map((entry) => [entry.titleAbstract.kind, entry.fullText.kind])).toEqual([
      ['decided', 'decided'],
      ['decided', 'not_reached'],
      ['decided', 'decided'],
      ['to_screen', 'not_reached'],
    ]);
    expect(stageCounts(progress, decisions, 'title_abstract')).toMatchObject({ records: 4, toScreen: 1, included: 2, excluded: 1, decisions: 3, excludedByReason: [{ reason: 'Wrong population', count: 1 }] });
    expect(stageCounts(progress, decisions, 'full_text')).toMatchObject({ records: 2, toScreen: 0, included: 1, notRetrieved: 1 });
    // Included in the review: decided include at full text (not just reached it, nor not retrieved there).
    expect(includedIn(progress)).toEqual(['r1']);
  });

  it('gives each screener the records they have not decided, leaving conflicts out', () => {
    const dual = [decide('a', 'r1', 'include'), decide('b', 'r1', 'exclude'), decide('a', 'r2', 'include')];
    const progress = reviewProgress(records, { decisions: dual, resolutions: [] }, true);
    expect(awaitingScreener(progress, dual, 'title_abstract', 'a' as UserId)).toEqual(['r3', 'r4']);
    expect(awaitingScreener(progress, dual, 'title_abstract', 'b' as UserId)).toEqual(['r2', 'r3', 'r4']);
  });

  it('labels records for the model from title and abstract decisions and resolutions', () => {
    const labels = trainingLabels([decide('a', 'r1', 'maybe'), decide('a', 'r2', 'exclude'), decide('b', 'r2', 'include'), decide('a', 'r3', 'exclude')], [resolve('r2', 'exclude')]);
    expect(Object.fromEntries(labels)).toEqual({ r1: true, r2: false, r3: false });
  });
});
