import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainedModel } from '../../core/screening/classifier.js';
import { buildFeatures, type ScreeningText } from '../../core/screening/features.js';
import { rankRecords } from '../../core/screening/rank.js';
import { createRankingThread, type RankingThread } from './ranking-thread.js';
import { createRankingWorker } from './ranking-worker.js';

/** Synthetic abstracts from a seeded generator: words from a small vocabulary, some topical. */
const syntheticTexts = (count: number, seed = 7): ScreeningText[] => {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const vocabulary = Array.from({ length: 2_000 }, (_, index) => `w${index.toString(36)}x`);
  return Array.from({ length: count }, (_, record) => {
    const words = Array.from({ length: 80 }, () => vocabulary[Math.floor(next() ** 2 * vocabulary.length)] ?? '');
    return { title: `${record % 3 === 0 ? 'falls exercise' : 'dental caries'} ${words.slice(0, 8).join(' ')}`, abstract: words.join(' ') };
  });
};

/** Every third record (the "falls" ones) included, the others excluded, for the first `count` records. */
const labelsFor = (count: number) => Array.from({ length: count }, (_, record) => ({ record, isIncluded: record % 3 === 0 }));

const texts = syntheticTexts(60);

describe('the screening worker (in-thread)', () => {
  it('ranks as rankRecords does, keeping the features and the last model per review', () => {
    const worker = createRankingWorker();
    const space = buildFeatures(texts);
    let previous: TrainedModel | undefined;
    for (const [step, count] of [6, 9, 12].entries()) {
      const labels = labelsFor(count);
      const result = worker.rank({
        type: 'rank',
        id: step,
        reviewId: 'r',
        texts: step === 0 ? texts : undefined,
        records: Int32Array.from(labels, (label) => label.record),
        included: Uint8Array.from(labels, (label) => (label.isIncluded ? 1 : 0)),
        model: 'logistic',
        protocol: 'falls',
        seed: 3,
      });
      const expected = rankRecords(space, labels, { model: 'logistic', protocol: 'falls', seed: 3, previous });
      previous = expected.model;
      expect(result).toMatchObject({ method: expected.method, explanation: expected.explanation });
      expect(result.scores).toEqual(expected.scores);
    }
    expect(worker.reviewIds()).toEqual(['r']);
    worker.handle({ type: 'forget', reviewId: 'r' });
    expect(worker.reviewIds()).toEqual([]);
  });

  it('replies with an error, without throwing, when it cannot rank', () => {
    const worker = createRankingWorker();
    const { reply, transfer } = worker.handle({ type: 'rank', id: 1, reviewId: 'unknown', records: new Int32Array(), included: new Uint8Array(), model: 'nb', protocol: '', seed: 0 });
    expect(reply).toMatchObject({ id: 1, error: { name: 'Error', message: expect.stringContaining('holds no features for review unknown') } });
    expect(transfer).toEqual([]);
  });
});

describe('the screening worker thread', () => {
  const threads: RankingThread[] = [];
  const newThread = () => {
    const thread = createRankingThread();
    threads.push(thread);
    return thread;
  };
  afterEach(async () => {
    await Promise.all(threads.splice(0).map((thread) => thread.close()));
  });

  it('gives the rankings rankRecords gives in-thread, warm-starting from the model it keeps', async () => {
    const thread = newThread();
    const space = buildFeatures(texts);
    let previous: TrainedModel | undefined;
    for (const count of [6, 9, 12]) {
      const labels = labelsFor(count);
      const result = await thread.rank({ reviewId: 'r', texts: thread.hasFeatures('r') ? undefined : texts, labels, model: 'logistic', protocol: 'falls', seed: 3 });
      const expected = rankRecords(space, labels, { model: 'logistic', protocol: 'falls', seed: 3, previous });
      previous = expected.model;
      expect(result.method).toBe('model');
      expect(result.explanation).toBe(expected.explanation);
      expect(result.scores).toEqual(expected.scores);
      expect(thread.hasFeatures('r')).toBe(true);
    }
    const cold = await thread.rank({ reviewId: 'r', labels: [], model: 'nb', protocol: 'falls exercise', seed: 0 });
    expect(cold.method).toBe('protocol');
    expect(cold.scores).toEqual(rankRecords(space, [], { model: 'nb', protocol: 'falls exercise', seed: 0 }).scores);
  });

  it('keeps the event loop free while it works', async () => {
    const thread = newThread();
    // Started and warmed up on a small review, so that only the CPU work is watched below.
    await thread.rank({ reviewId: 'small', texts, labels: labelsFor(6), model: 'nb', protocol: '', seed: 0 });
    const large = syntheticTexts(4_000);
    let ticksWhileWorking = 0;
    let isWorking = true;
    const timer = setInterval(() => {
      ticksWhileWorking += isWorking ? 1 : 0;
    }, 1);
    try {
      // Features for 4,000 records and a logistic regression on 2,000 decisions: all on the thread.
      const result = await thread.rank({ reviewId: 'large', texts: large, labels: labelsFor(2_000), model: 'logistic', protocol: '', seed: 0 });
      isWorking = false;
      expect(result.method).toBe('model');
    } finally {
      clearInterval(timer);
    }
    expect(ticksWhileWorking).toBeGreaterThanOrEqual(2);
  });

  it('rejects a request that fails on the thread, and goes on serving on the same thread', async () => {
    const thread = newThread();
    await thread.rank({ reviewId: 'r', texts, labels: labelsFor(6), model: 'nb', protocol: '', seed: 0 });
    const worker = thread.worker;
    await expect(thread.rank({ reviewId: 'r', labels: [{ record: 999, isIncluded: true }], model: 'nb', protocol: '', seed: 0 })).rejects.toThrow(
      expect.objectContaining({ name: 'RangeError', message: expect.stringContaining('record 999') }),
    );
    expect(thread.worker).toBe(worker);
    expect(thread.hasFeatures('r')).toBe(true);
    await expect(thread.rank({ reviewId: 'r', labels: labelsFor(6), model: 'nb', protocol: '', seed: 0 })).resolves.toMatchObject({ method: 'model' });
  });

  it('rejects what waits on a thread that dies, and starts another for the next request', async () => {
    const thread = newThread();
    await thread.rank({ reviewId: 'r', texts, labels: labelsFor(6), model: 'nb', protocol: '', seed: 0 });
    const first = thread.worker;
    const waiting = thread.rank({ reviewId: 'r', texts: syntheticTexts(2_000), labels: labelsFor(6), model: 'logistic', protocol: '', seed: 0 });
    const rejected = expect(waiting).rejects.toThrow(/screening worker thread stopped/);
    await first?.terminate();
    await rejected;
    expect(thread.worker).toBeUndefined();
    // The new thread has no features yet: the texts must be sent again.
    expect(thread.hasFeatures('r')).toBe(false);
    await expect(thread.rank({ reviewId: 'r', labels: labelsFor(6), model: 'nb', protocol: '', seed: 0 })).rejects.toThrow(/holds no features/);
    const result = await thread.rank({ reviewId: 'r', texts, labels: labelsFor(6), model: 'nb', protocol: '', seed: 0 });
    expect(result.method).toBe('model');
    expect(thread.worker).toBeDefined();
    expect(thread.worker).not.toBe(first);
  });

  it('terminates the thread on close, rejecting what waits and anything later', async () => {
    const thread = newThread();
    await thread.rank({ reviewId: 'r', texts, labels: labelsFor(6), model: 'nb', protocol: '', seed: 0 });
    const worker = thread.worker;
    expect(worker).toBeDefined();
    const exited = once(worker as NonNullable<typeof worker>, 'exit');
    const waiting = thread.rank({ reviewId: 'r', labels: labelsFor(9), model: 'nb', protocol: '', seed: 0 });
    const rejected = expect(waiting).rejects.toThrow(/closed/);
    await thread.close();
    await exited;
    await rejected;
    expect(thread.worker).toBeUndefined();
    await expect(thread.rank({ reviewId: 'r', texts, labels: [], model: 'nb', protocol: '', seed: 0 })).rejects.toThrow(/closed/);
    expect(thread.worker).toBeUndefined();
  });
});
