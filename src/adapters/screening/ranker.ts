import type { Logger } from 'pino';
import type { Ranking, ReviewStore, ScreeningRanker } from '../../core/reviews/ports.js';
import { trainingLabels } from '../../core/reviews/screening-state.js';
import { frameworks, type Review, type ReviewId } from '../../core/reviews/types.js';
import type { TrainedModel } from '../../core/screening/classifier.js';
import { buildFeatures, type FeatureSpace } from '../../core/screening/features.js';
import { rankRecords } from '../../core/screening/rank.js';

interface ReviewState {
  /** The review's records, numbered as in `space`; rebuilt when records are added or merged. */
  ids: string[] | undefined;
  space: FeatureSpace | undefined;
  ranking: Ranking | undefined;
  previous: TrainedModel | undefined;
  version: number | undefined;
  running: Promise<void> | undefined;
  isPending: boolean;
}

/** The protocol as one text, for the cold start: question, framework fields, criteria and the words to look for. */
export const protocolText = (review: Review): string => {
  const fields = Object.keys(frameworks[review.framework].fields).map((name) => review.frameworkFields[name] ?? '');
  return [review.question, ...fields, review.inclusionCriteria, ...review.includeKeywords].filter((part) => part.trim().length > 0).join('\n');
};

/**
 * The active-learning ranker (issue #5 item 4). Each review's TF-IDF features are built once and
 * kept; after a decision the model is retrained in the background, single-flight (decisions that
 * arrive meanwhile cause one more retrain), and the screener is served from the latest ranking
 * in the meantime. Every model ranking gets a new version, saved with what it was trained on, so
 * the decision log can say which model ordered each record.
 */
export const createScreeningRanker = ({ store, logger, seed = 0 }: { store: ReviewStore; logger?: Logger | undefined; seed?: number }): ScreeningRanker & { idle(id: ReviewId): Promise<void> } => {
  const states = new Map<string, ReviewState>();
  const stateOf = (id: ReviewId): ReviewState => {
    let state = states.get(id);
    if (!state) {
      state = { ids: undefined, space: undefined, ranking: undefined, previous: undefined, version: undefined, running: undefined, isPending: false };
      states.set(id, state);
    }
    return state;
  };

  const compute = async (id: ReviewId, state: ReviewState): Promise<void> => {
    const review = await store.findReview(id);
    if (!review) {
      states.delete(id);
      return;
    }
    if (!state.space || !state.ids) {
      const texts = await store.listTexts(review.libraryId);
      state.ids = texts.map((text) => text.id);
      state.space = buildFeatures(texts);
      state.previous = undefined;
    }
    const [decisions, resolutions] = await Promise.all([store.listDecisions(id), store.listResolutions(id)]);
    const numberOf = new Map(state.ids.map((recordId, index) => [recordId, index]));
    const labels = trainingLabels(decisions, resolutions);
    const known = [...labels].flatMap(([recordId, isIncluded]) => {
      const record = numberOf.get(recordId);
      return record === undefined ? [] : [{ record, isIncluded }];
    });
    const started = performance.now();
    const ranked = rankRecords(state.space, known, { model: review.model, protocol: protocolText(review), seed, previous: state.previous });
    const trainedMs = Math.round(performance.now() - started);
    const scores = new Map<string, number>();
    ranked.scores.forEach((score, index) => {
      if (!Number.isNaN(score)) {
        scores.set(state.ids?.[index] ?? '', score);
      }
    });
    if (ranked.method === 'model') {
      state.previous = ranked.model;
      state.version = (state.version ?? (await store.lastModelVersion(id))) + 1;
      const included = known.filter((item) => item.isIncluded).length;
      await store.saveModel({ reviewId: id, version: state.version, model: review.model, included, excluded: known.length - included, records: state.ids.length, trainedMs });
      state.ranking = { version: `${review.model}-v${state.version}`, by: 'model', scores, explanation: ranked.explanation };
    } else {
      state.ranking = { version: ranked.method, by: 'protocol', scores, explanation: ranked.explanation };
    }
  };

  const run = (id: ReviewId): Promise<void> => {
    const state = stateOf(id);
    if (state.running) {
      state.isPending = true;
      return state.running;
    }
    state.running = (async () => {
      try {
        do {
          state.isPending = false;
          await compute(id, state);
        } while (state.isPending);
      } finally {
        state.running = undefined;
      }
    })();
    return state.running;
  };

  return {
    async ranking(id) {
      const state = stateOf(id);
      if (!state.ranking) {
        await run(id);
      }
      return state.ranking ?? { version: 'none', by: 'protocol', scores: new Map(), explanation: 'No records yet.' };
    },
    retrain(id) {
      void run(id).catch((error: unknown) => logger?.error({ err: error, reviewId: id }, 'screening model retrain failed'));
    },
    invalidate(id) {
      const state = stateOf(id);
      state.ids = undefined;
      state.space = undefined;
      state.ranking = undefined;
      // A retrain under way read the old records: run once more after it.
      state.isPending = state.running !== undefined;
    },
    /** Resolves once no retrain is running for the review (tests and the benchmark wait on it). */
    async idle(id) {
      while (states.get(id)?.running) {
        await states.get(id)?.running;
      }
    },
  };
};
