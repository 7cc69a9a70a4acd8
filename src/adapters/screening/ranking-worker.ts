import type { TrainedModel } from '../../core/screening/classifier.js';
import { buildFeatures, type FeatureSpace, type ScreeningText } from '../../core/screening/features.js';
import type { ModelName } from '../../core/screening/models.js';
import { rankRecords, type RankingMethod } from '../../core/screening/rank.js';

/**
 * What runs on the screening worker thread (see `ranking-thread.ts`, which starts it). The thread
 * keeps, per review, the feature space and the last trained model: a `TrainedModel` is a closure
 * and cannot be sent between threads, and logistic regression warm-starts from it.
 */

/** Asks for a ranking of one review's records on the decisions so far. */
export interface RankRequest {
  readonly type: 'rank';
  readonly id: number;
  readonly reviewId: string;
  /**
   * The review's records, numbered by position: sent when the feature space must be (re)built (the
   * first time, or after records were added or merged). Without them the space built last is used.
   */
  readonly texts?: readonly ScreeningText[] | undefined;
  /** The decided records (numbers as in `texts`), and 1 for each one included, 0 for excluded. */
  readonly records: Int32Array;
  readonly included: Uint8Array;
  readonly model: ModelName;
  readonly protocol: string;
  readonly seed: number;
}

/** Lets the thread drop what it keeps for a review (the review is gone). */
export interface ForgetRequest {
  readonly type: 'forget';
  readonly reviewId: string;
}

export type WorkerRequest = RankRequest | ForgetRequest;

export interface RankResult {
  /** Each record's score by record number; NaN for decided records. */
  readonly scores: Float64Array;
  readonly method: RankingMethod;
  readonly explanation: string;
  /** Milliseconds spent training and scoring (not building the features). */
  readonly trainedMs: number;
}

export interface WorkerFailure {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
}

export type WorkerReply = { readonly id: number; readonly result: RankResult } | { readonly id: number; readonly error: WorkerFailure };

const toFailure = (error: unknown): WorkerFailure =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error), stack: undefined };

/** The worker's state and its handling of one message; runs in-thread as well (tests). */
export const createRankingWorker = () => {
  const reviews = new Map<string, { space: FeatureSpace; previous: TrainedModel | undefined }>();

  const rank = (request: RankRequest): RankResult => {
    let review = reviews.get(request.reviewId);
    if (request.texts) {
      reviews.delete(request.reviewId);
      review = { space: buildFeatures(request.texts), previous: undefined };
      reviews.set(request.reviewId, review);
    }
    if (!review) {
      throw new Error(`the screening worker holds no features for review ${request.reviewId}: send its texts`);
    }
    const decisions = Array.from(request.records, (record, index) => ({ record, isIncluded: request.included[index] === 1 }));
    const started = performance.now();
    const ranked = rankRecords(review.space, decisions, { model: request.model, protocol: request.protocol, seed: request.seed, previous: review.previous });
    const trainedMs = Math.round(performance.now() - started);
    if (ranked.method === 'model') {
      review.previous = ranked.model;
    }
    return { scores: ranked.scores, method: ranked.method, explanation: ranked.explanation, trainedMs };
  };

  return {
    rank,
    /** Handles one message: the reply to post (none for `forget`) and what to transfer with it. */
    handle(message: WorkerRequest): { reply: WorkerReply | undefined; transfer: ArrayBuffer[] } {
      if (message.type === 'forget') {
        reviews.delete(message.reviewId);
        return { reply: undefined, transfer: [] };
      }
      try {
        const result = rank(message);
        return { reply: { id: message.id, result }, transfer: [result.scores.buffer as ArrayBuffer] };
      } catch (error) {
        return { reply: { id: message.id, error: toFailure(error) }, transfer: [] };
      }
    },
    /** The reviews whose features the worker holds. */
    reviewIds: (): string[] => [...reviews.keys()],
  };
};

export type RankingWorker = ReturnType<typeof createRankingWorker>;
