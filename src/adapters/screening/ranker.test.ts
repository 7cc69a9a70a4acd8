import { once } from 'node:events';
import type { Logger } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReviewStore } from '../../core/reviews/ports.js';
import { trainingLabels } from '../../core/reviews/screening-state.js';
import type { Review, ReviewId, ScreeningDecision } from '../../core/reviews/types.js';
import type { TrainedModel } from '../../core/screening/classifier.js';
import { buildFeatures } from '../../core/screening/features.js';
import { rankRecords } from '../../core/screening/rank.js';
import type { LibraryId, RecordId, UserId } from '../../core/shared/ids.js';
import { createScreeningRanker, protocolText } from './ranker.js';
import { createRankingThread } from './ranking-thread.js';

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

type Text = { id: RecordId; title: string; abstract: string };

/** A store with just what the ranker reads, counting how often it trains and reads the texts. */
const fakeStore = (decisions: ScreeningDecision[], options: { texts?: () => Text[]; model?: Review['model'] } = {}) => {
  const saved: number[] = [];
  const savedInputs: { version: number; included: number; excluded: number; records: number }[] = [];
  let reads = 0;
  let textReads = 0;
  const store = {
    findReview: async () => ({ ...review, model: options.model ?? review.model }),
    listTexts: async () => {
      textReads += 1;
      return options.texts ? options.texts() : texts;
    },
    listDecisions: async () => {
      reads += 1;
      return [...decisions];
    },
    listResolutions: async () => [],
    lastModelVersion: async () => 4,
    saveModel: async (input: { version: number; included: number; excluded: number; records: number }) => {
      saved.push(input.version);
      savedInputs.push(input);
    },
  } as unknown as ReviewStore;
  return { store, saved, savedInputs, reads: () => reads, textReads: () => textReads };
};

/** Synthetic records from a seeded generator: every third about falls, the others about teeth. */
const syntheticTexts = (count: number): Text[] => {
  let state = 11;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return Array.from({ length: count }, (_, index) => {
    const words = Array.from({ length: 60 }, () => `w${Math.floor(next() ** 2 * 1_500).toString(36)}x`);
    const topic = index % 3 === 0 ? 'falls exercise balance' : 'dental caries fluoride';
    return { id: `s${index}` as RecordId, title: `${topic} ${words.slice(0, 6).join(' ')}`, abstract: `${topic} ${words.join(' ')}` };
  });
};

/** Decisions on the first `count` records of `records`: the falls ones included. */
const decisionsOn = (records: readonly Text[], count: number): ScreeningDecision[] =>
  records.slice(0, count).map((text, index) => decision(text.id, index % 3 === 0 ? 'include' : 'exclude', index + 1));

/** The ranking `rankRecords` gives in-thread, as the ranker's map of record id to score. */
const inThread = (records: readonly Text[], decisions: ScreeningDecision[], model: Review['model'], previous: TrainedModel | undefined) => {
  const numberOf = new Map(records.map((text, index) => [text.id as string, index]));
  const known = [...trainingLabels(decisions, [])].map(([recordId, isIncluded]) => ({ record: numberOf.get(recordId) ?? -1, isIncluded }));
  const ranked = rankRecords(buildFeatures(records), known, { model, protocol: protocolText(review), seed: 0, previous });
  const scores = new Map<string, number>();
  ranked.scores.forEach((score, index) => {
    if (!Number.isNaN(score)) {
      scores.set(records[index]?.id ?? '', score);
    }
  });
  return { ranked, scores };
};

const fakeLogger = () => ({ error: vi.fn() }) as unknown as Logger & { error: ReturnType<typeof vi.fn> };

describe('the screening ranker', () => {
  const rankers: { close(): Promise<void> }[] = [];
  const newRanker = (...args: Parameters<typeof createScreeningRanker>) => {
    const ranker = createScreeningRanker(...args);
    rankers.push(ranker);
    return ranker;
  };
  afterEach(async () => {
    await Promise.all(rankers.splice(0).map((ranker) => ranker.close()));
  });

  it('orders by the protocol before there is an inclusion and an exclusion', async () => {
    const { store, saved } = fakeStore([]);
    const ranking = await newRanker({ store }).ranking(review.id);
    expect(ranking).toMatchObject({ by: 'protocol', version: 'protocol' });
    const order = [...ranking.scores].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    expect(order.slice(0, 2).sort()).toEqual(['r0', 'r2']);
    expect(saved).toEqual([]);
    expect(protocolText(review)).toContain('Home exercise');
  });

  it('retrains in the background, once more for decisions that arrive during a retrain, numbering each model', async () => {
    const decisions: ScreeningDecision[] = [decision('r0', 'include', 1), decision('r1', 'exclude', 2)];
    const { store, saved, reads } = fakeStore(decisions);
    const ranker = newRanker({ store });
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

  it('ranks on its worker thread as rankRecords does in-thread, sending the texts only when the features must be built', async () => {
    const records = syntheticTexts(90);
    const decisions = decisionsOn(records, 6);
    const { store, savedInputs, textReads } = fakeStore(decisions, { texts: () => records, model: 'logistic' });
    const ranker = newRanker({ store });

    let expected = inThread(records, decisions, 'logistic', undefined);
    expect(await ranker.ranking(review.id)).toEqual({ version: 'logistic-v5', by: 'model', scores: expected.scores, explanation: expected.ranked.explanation });
    // Retrains send only the decisions, and logistic regression warm-starts from the model the thread kept.
    for (const count of [9, 12]) {
      decisions.splice(0, decisions.length, ...decisionsOn(records, count));
      ranker.retrain(review.id);
      await ranker.idle(review.id);
      expected = inThread(records, decisions, 'logistic', expected.ranked.model);
      expect((await ranker.ranking(review.id)).scores).toEqual(expected.scores);
    }
    expect(textReads()).toBe(1);
    expect(savedInputs.map(({ version, included, excluded, records: count }) => [version, included, excluded, count])).toEqual([
      [5, 2, 4, 90],
      [6, 3, 6, 90],
      [7, 4, 8, 90],
    ]);

    // Records added: the features are built again from the texts, and training starts from zero.
    records.push(...syntheticTexts(93).slice(90).map((text, index) => ({ ...text, id: `new${index}` as RecordId })));
    ranker.invalidate(review.id);
    const afterAdding = await ranker.ranking(review.id);
    expect(textReads()).toBe(2);
    expected = inThread(records, decisions, 'logistic', undefined);
    expect(afterAdding).toMatchObject({ version: 'logistic-v8', scores: expected.scores });
    expect(afterAdding.scores.has('new2')).toBe(true);
  });

  it('starts on the new ranking as soon as it is told the records changed, so the first screener does not wait for the features', async () => {
    const records = syntheticTexts(30);
    const { store, textReads, saved } = fakeStore(decisionsOn(records, 6), { texts: () => records });
    const ranker = newRanker({ store });
    ranker.invalidate(review.id);
    // Nobody has asked for the ranking, yet the features are built and a model is trained.
    await ranker.idle(review.id);
    expect(textReads()).toBe(1);
    expect(saved).toEqual([5]);
    expect(await ranker.ranking(review.id)).toMatchObject({ by: 'model', version: 'nb-v5' });
    expect(textReads()).toBe(1);
    // Told twice in a row (records added twice) before the texts are read: they are read once, with both.
    ranker.invalidate(review.id);
    ranker.invalidate(review.id);
    await ranker.idle(review.id);
    expect(textReads()).toBe(2);
    expect(saved).toEqual([5, 6, 7]);
  });

  it('reads the records again when told they changed while it was reading them', async () => {
    const records = syntheticTexts(30);
    const fake = fakeStore(decisionsOn(records, 6), { texts: () => [...records] });
    const read = fake.store.listTexts.bind(fake.store);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let isFirst = true;
    // The first read returns what was there when it began, but only once the records have changed.
    Object.assign(fake.store, {
      listTexts: async (libraryId: Parameters<ReviewStore['listTexts']>[0]) => {
        const texts = await read(libraryId);
        if (isFirst) {
          isFirst = false;
          await held;
        }
        return texts;
      },
    });
    const ranker = newRanker({ store: fake.store });
    ranker.invalidate(review.id);
    await vi.waitFor(() => expect(fake.textReads()).toBe(1));
    records.push(...syntheticTexts(33).slice(30).map((text, index) => ({ ...text, id: `new${index}` as RecordId })));
    ranker.invalidate(review.id);
    release();
    await ranker.idle(review.id);
    expect(fake.textReads()).toBe(2);
    const ranking = await ranker.ranking(review.id);
    expect([...ranking.scores.keys()].filter((key) => key.startsWith('new')).sort()).toEqual(['new0', 'new1', 'new2']);
  });

  it('builds nothing it cannot and logs no failure when a review with no records is told its records changed', async () => {
    const { store } = fakeStore([], { texts: () => [] });
    const logger = fakeLogger();
    const ranker = newRanker({ store, logger });
    ranker.invalidate(review.id);
    await ranker.idle(review.id);
    expect(logger.error).not.toHaveBeenCalled();
    expect((await ranker.ranking(review.id)).scores.size).toBe(0);
  });

  it('keeps the event loop ticking while a large retrain runs', async () => {
    const records = syntheticTexts(4_000);
    const decisions: ScreeningDecision[] = [];
    const { store } = fakeStore(decisions, { texts: () => records, model: 'logistic' });
    const ranker = newRanker({ store });
    // The first ranking (protocol order) starts the thread and builds the features.
    expect((await ranker.ranking(review.id)).by).toBe('protocol');
    decisions.push(...decisionsOn(records, 2_000));
    let ticksWhileRetraining = 0;
    let isRetraining = true;
    const timer = setInterval(() => {
      ticksWhileRetraining += isRetraining ? 1 : 0;
    }, 1);
    try {
      ranker.retrain(review.id);
      await ranker.idle(review.id);
      isRetraining = false;
    } finally {
      clearInterval(timer);
    }
    expect(ticksWhileRetraining).toBeGreaterThanOrEqual(2);
    expect(await ranker.ranking(review.id)).toMatchObject({ by: 'model', version: 'logistic-v5' });
  });

  it('rejects a retrain that fails on the thread, logs it, and serves the next one', async () => {
    let isBroken = true;
    // A record without a title or abstract makes the feature builder throw on the thread.
    const broken = () => (isBroken ? [...texts, { id: 'bad' as RecordId, title: null as unknown as string, abstract: '' }] : texts);
    const { store, saved, textReads } = fakeStore([decision('r0', 'include', 1), decision('r1', 'exclude', 2)], { texts: broken });
    const logger = fakeLogger();
    const ranker = newRanker({ store, logger });
    await expect(ranker.ranking(review.id)).rejects.toThrow(TypeError);
    ranker.retrain(review.id);
    // idle() passes on the retrain's failure.
    await expect(ranker.idle(review.id)).rejects.toThrow(TypeError);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ reviewId: review.id, err: expect.any(TypeError) }), 'screening model retrain failed');
    isBroken = false;
    expect(await ranker.ranking(review.id)).toMatchObject({ by: 'model', version: 'nb-v5' });
    // Each attempt sent the texts again, since the thread never built the features.
    expect(textReads()).toBe(3);
    expect(saved).toEqual([5]);
  });

  it('replaces a thread that died during a retrain, sending the texts again', async () => {
    const decisions: ScreeningDecision[] = [decision('r0', 'include', 1), decision('r1', 'exclude', 2)];
    const { store, saved, textReads } = fakeStore(decisions);
    const logger = fakeLogger();
    const thread = createRankingThread();
    const ranker = newRanker({ store, logger, thread });
    await ranker.ranking(review.id);
    const first = thread.worker;
    decisions.push(decision('r2', 'include', 3));
    ranker.retrain(review.id);
    const failed = expect(ranker.idle(review.id)).rejects.toThrow(/thread stopped/);
    await first?.terminate();
    await failed;
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ err: expect.objectContaining({ message: expect.stringMatching(/thread stopped/) }) }), 'screening model retrain failed');
    // The screener is still served the last ranking.
    expect((await ranker.ranking(review.id)).version).toBe('nb-v5');
    ranker.retrain(review.id);
    await ranker.idle(review.id);
    expect(thread.worker).toBeDefined();
    expect(thread.worker).not.toBe(first);
    expect(textReads()).toBe(2);
    expect(saved).toEqual([5, 6]);
    expect(await ranker.ranking(review.id)).toMatchObject({ version: 'nb-v6', by: 'model' });
  });

  it('terminates its thread on close', async () => {
    const { store } = fakeStore([decision('r0', 'include', 1), decision('r1', 'exclude', 2)]);
    const logger = fakeLogger();
    const thread = createRankingThread();
    const ranker = newRanker({ store, logger, thread });
    await ranker.ranking(review.id);
    const worker = thread.worker;
    expect(worker).toBeDefined();
    const exited = once(worker as NonNullable<typeof worker>, 'exit');
    await ranker.close();
    await exited;
    expect(thread.worker).toBeUndefined();
    await expect(ranker.ranking('review-2' as ReviewId)).rejects.toThrow(/closed/);
    // A retrain asked for while the app stops is dropped quietly, and starts no thread.
    ranker.retrain(review.id);
    await expect(ranker.idle(review.id)).rejects.toThrow(/closed/);
    expect(logger.error).not.toHaveBeenCalled();
    expect(thread.worker).toBeUndefined();
  });
});
