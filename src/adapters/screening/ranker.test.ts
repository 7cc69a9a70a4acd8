import { describe, expect, it } from 'vitest';
import type { ReviewStore } from '../../core/reviews/ports.js';
import type { Review, ReviewId, ScreeningDecision } from '../../core/reviews/types.js';
import type { LibraryId, RecordId, UserId } from '../../core/shared/ids.js';
import { createScreeningRanker, protocolText } from './ranker.js';

const review: Review = {
  id: 'review-1' as ReviewId,
  reference: 'RV-0001',
  title: 'Falls',
  needId: undefined,
  libraryId: 'library-1' as LibraryId,
  status: 'screening',
  question: 'Does home exercise prevent falls?',
  framework: 'pico',
  frameworkFields: { population: 'Older people', intervention: 'Home exercise' },
  inclusionCriteria: 'Trials',
  exclusionCriteria: '',
  exclusionReasons: ['Wrong population'],
  includeKeywords: ['balance'],
  excludeKeywords: [],
  isDual: false,
  isBlind: true,
  model: 'nb',
  randomShare: 0,
  members: [],
  prismaLabels: {},
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

const texts = [
  { id: 'r0' as RecordId, title: 'Home exercise to prevent falls in older people', abstract: 'Strength and balance training at home.' },
  { id: 'r1' as RecordId, title: 'Fluoride varnish in children', abstract: 'Dental caries.' },
  { id: 'r2' as RecordId, title: 'Balance classes and falls after discharge', abstract: 'Older people exercised.' },
  { id: 'r3' as RecordId, title: 'Tooth brushing clubs in schools', abstract: 'Children and caries.' },
];

const decision = (recordId: string, choice: 'include' | 'exclude', id: number): ScreeningDecision => ({
  id,
  recordId: recordId as RecordId,
  stage: 'title_abstract',
  screenerId: 'u' as UserId,
  screenerName: 'U',
  decision: choice,
  reason: choice === 'exclude' ? 'Wrong population' : undefined,
  modelVersion: undefined,
  rankPosition: undefined,
  isCurrent: true,
  decidedAt: new Date(0),
});

/** A store with just what the ranker reads, counting how often it trains. */
const fakeStore = (decisions: ScreeningDecision[]) => {
  const saved: number[] = [];
  let reads = 0;
  const store = {
    findReview: async () => review,
    listTexts: async () => texts,
    listDecisions: async () => {
      reads += 1;
      return [...decisions];
    },
    listResolutions: async () => [],
    lastModelVersion: async () => 4,
    saveModel: async (input: { version: number }) => {
      saved.push(input.version);
    },
  } as unknown as ReviewStore;
  return { store, saved, reads: () => reads };
};

describe('the screening ranker', () => {
  it('orders by the protocol before there is an inclusion and an exclusion', async () => {
    const { store, saved } = fakeStore([]);
    const ranking = await createScreeningRanker({ store }).ranking(review.id);
    expect(ranking).toMatchObject({ by: 'protocol', version: 'protocol' });
    const order = [...ranking.scores].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    expect(order.slice(0, 2).sort()).toEqual(['r0', 'r2']);
    expect(saved).toEqual([]);
    expect(protocolText(review)).toContain('Home exercise');
  });

  it('retrains in the background, once more for decisions that arrive during a retrain, numbering each model', async () => {
    const decisions: ScreeningDecision[] = [decision('r0', 'include', 1), decision('r1', 'exclude', 2)];
    const { store, saved, reads } = fakeStore(decisions);
    const ranker = createScreeningRanker({ store });
    expect((await ranker.ranking(review.id)).version).toBe('nb-v5');
    // Three decisions in quick succession: the first starts a retrain, the other two ask for one more.
    decisions.push(decision('r2', 'include', 3));
    ranker.retrain(review.id);
    ranker.retrain(review.id);
    ranker.retrain(review.id);
    await ranker.idle(review.id);
    expect(reads()).toBe(3);
    expect(saved).toEqual([5, 6, 7]);
    const latest = await ranker.ranking(review.id);
    expect(latest).toMatchObject({ by: 'model', version: 'nb-v7' });
    // Only the record left unscreened is scored.
    expect([...latest.scores.keys()]).toEqual(['r3']);
  });
});
