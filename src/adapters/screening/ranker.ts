import type { Logger } from 'pino';
import type { Ranking, ReviewStore, ScreeningRanker } from '../../core/reviews/ports.js';
import { trainingLabels } from '../../core/reviews/screening-state.js';
import { frameworks, type Review, type ReviewId } from '../../core/reviews/types.js';
import { createRankingThread, type RankingThread } from './ranking-thread.js';

interface ReviewState {
  /**
   * The review's records, numbered as in the feature space the worker thread holds for it; reset
   * when records are added or merged, so that the next retrain sends the texts to build it again.
   */
  ids: string[] | undefined;
  ranking: Ranking | undefined;
  version: number | undefined;
  running: Promise<void> | undefined;
  isPending: boolean;
  /** Counts the times the ranker was told the records changed, so a read that began before a change is not kept. */
  generation: number;
}

/** The protocol as one text, for the cold start: question, framework fields, criteria and the words to look for. */
export const protocolText = (review: Review): string => {
  const fields = Object.keys(frameworks[review.framework].fields).map((name) => review.frameworkFields[name] ?? '');
  return [review.question, ...fields, review.inclusionCriteria, ...review.includeKeywords].filter((part) => part.trim().length > 0).join('\n');
};

/**
 * The active-learning ranker (issue #5 item 4). After a decision the model is retrained in the
 * background, single-flight (decisions that arrive meanwhile cause one more retrain), and the
 * screener is served from the latest ranking in the meantime. Every model ranking gets a new
 * version, saved with what it was trained on, so the decision log can say which model ordered each
 * record.
 *
 * The CPU work (TF-IDF features, training, scoring: up to a few hundred milliseconds per retrain at
 * 10,000 records, over a second for the features) runs on a worker thread (`ranking-thread.ts`), one per
 * ranker, started on first use and ended by `close()`, so the event loop stays free for requests.
 * The thread keeps each review's features and its last model (logistic regression warm-starts from
 * it); this side sends the texts only when the features must be built (the first time, after
 * `invalidate`, or when the thread was restarted), otherwise just the decisions. An error on the
 * thread rejects that retrain (logged, as before); a thread that died is replaced on the next one.
 */
export const createScreeningRanker = ({
  store,
  logger,
  seed = 0,
  thread = createRankingThread(),
}: {
  store: ReviewStore;
  logger?: Logger | undefined;
  seed?: number;
  /** The worker thread to rank on (tests pass their own). */
  thread?: RankingThread;
}): ScreeningRanker & { idle(id: ReviewId): Promise<void>; close(): Promise<void> } => {
  const states = new Map<string, ReviewState>();
  let isClosed = false;
  const stateOf = (id: ReviewId): ReviewState => {
    let state = states.get(id);
    if (!state) {
      state = { ids: undefined, ranking: undefined, version: undefined, running: undefined, isPending: false, generation: 0 };
      states.set(id, state);
    }
    return state;
  };

  const compute = async (id: ReviewId, state: ReviewState): Promise<void> => {
    const review = await store.findReview(id);
    if (!review) {
      states.delete(id);
      thread.forget(id);
      return;
    }
    let texts: Awaited<ReturnType<ReviewStore['listTexts']>> | undefined;
    // This retrain's numbering, kept even if `invalidate` resets the state meanwhile (it runs again then).
    let ids = state.ids;
    if (!ids || !thread.hasFeatures(id)) {
      const generation = state.generation;
      texts = await store.listTexts(review.libraryId);
      ids = texts.map((text) => text.id);
      // Told that the records changed while they were being read (the read may not hold the change):
      // this retrain goes on with what it read, and the one after it reads them again.
      state.ids = state.generation === generation ? ids : undefined;
    }
    const [decisions, resolutions] = await Promise.all([store.listDecisions(id), store.listResolutions(id)]);
    const numberOf = new Map(ids.map((recordId, index) => [recordId, index]));
    const labels = trainingLabels(decisions, resolutions);
    const known = [...labels].flatMap(([recordId, isIncluded]) => {
      const record = numberOf.get(recordId);
      return record === undefined ? [] : [{ record, isIncluded }];
    });
    const ranked = await thread.rank({
      reviewId: id,
      texts: texts?.map((text) => ({ title: text.title, abstract: text.abstract })),
      labels: known,
      model: review.model,
      protocol: protocolText(review),
      seed,
    });
    const trainedMs = ranked.trainedMs;
    const scores = new Map<string, number>();
    ranked.scores.forEach((score, index) => {
      if (!Number.isNaN(score)) {
        scores.set(ids[index] ?? '', score);
      }
    });
    if (ranked.method === 'model') {
      state.version = (state.version ?? (await store.lastModelVersion(id))) + 1;
      const included = known.filter((item) => item.isIncluded).length;
      await store.saveModel({ reviewId: id, version: state.version, model: review.model, included, excluded: known.length - included, records: ids.length, trainedMs });
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

  const retrain = (id: ReviewId): void => {
    void run(id).catch((error: unknown) => {
      // A retrain cut short by `close()` (the app stopping) is not a failure worth logging.
      if (!isClosed) {
        logger?.error({ err: error, reviewId: id }, 'screening model retrain failed');
      }
    });
  };

  return {
    async ranking(id) {
      const state = stateOf(id);
      if (!state.ranking) {
        // A retrain under way (after `invalidate`, say) brings the ranking: wait for it rather than ask for another.
        await (state.running ?? run(id));
      }
      return state.ranking ?? { version: 'none', by: 'protocol', scores: new Map(), explanation: 'No records yet.' };
    },
    retrain,
    invalidate(id) {
      const state = stateOf(id);
      state.ids = undefined;
      state.ranking = undefined;
      state.generation += 1;
      // The new ranking is started at once (a retrain under way read the old records: it runs once more):
      // building the features of a 10,000-record import takes about 2 s, which the first screener to open
      // the review would otherwise wait for.
      retrain(id);
    },
    /** Resolves once no retrain is running for the review (tests and the benchmark wait on it). */
    async idle(id) {
      while (states.get(id)?.running) {
        await states.get(id)?.running;
      }
    },
    /** Ends the worker thread (the app stopping): retrains under way are rejected, and later ones too. */
    async close() {
      isClosed = true;
      await thread.close();
    },
  };
};
