import { counted } from '../shared/text.js';
import type { TrainedModel } from './classifier.js';
import { coldStartQuery, similarityScores } from './cold-start.js';
import type { FeatureSpace } from './features.js';
import { createClassifier, trainOnDecisions, type BalanceStrategy, type ModelName } from './models.js';
import { orderForScreening } from './query.js';
import { createRandom } from './random.js';

/** One screening decision on a record of the review (records are numbered as in the feature space). */
export interface ScreeningDecision {
  readonly record: number;
  readonly isIncluded: boolean;
}

export interface RankOptions {
  /** Default `nb`. */
  model?: ModelName;
  /** The protocol's question and criteria: the cold start ranks by similarity to it. */
  protocol?: string | undefined;
  /** Share of random picks in the order, in [0, 1). Default 0. */
  randomShare?: number;
  /** Seeds double balance and random picks: the same seed and decisions give the same order. Default 0. */
  seed?: number;
  balance?: BalanceStrategy;
  /** The last ranking's model, to warm-start training (logistic regression uses it). */
  previous?: TrainedModel | undefined;
}

/** How the order was made. */
export type RankingMethod = 'model' | 'protocol' | 'relevance-feedback' | 'file-order';

export interface Ranking {
  /** Every record without a decision, the one to screen next first. */
  readonly order: Int32Array;
  /** Each record's score (higher: more likely relevant), by record number; NaN for decided records. */
  readonly scores: Float64Array;
  readonly method: RankingMethod;
  /** The trained model when `method` is `model`: pass it back as `previous` next time. */
  readonly model?: TrainedModel;
  /** One sentence for the screener: why the records come in this order. */
  readonly explanation: string;
}

/**
 * Orders a review's unscreened records for screening (issue #5 item 4). With decisions of both
 * classes, a model (naive Bayes by default) is trained on them and the records most likely relevant
 * come first. Before that (cold start) the order is by similarity to the protocol text, moved
 * towards the inclusions and away from the exclusions made so far (Rocchio relevance feedback);
 * with neither protocol nor decisions, records keep their file order. A later decision on the same
 * record replaces an earlier one. Pure and synchronous: a caller that must not block (the screening
 * page) runs it off the request path and shows the previous order until it returns.
 */
export const rankRecords = (space: FeatureSpace, decisions: readonly ScreeningDecision[], options: RankOptions = {}): Ranking => {
  const total = space.matrix.rows;
  const latest = new Map<number, boolean>();
  for (const decision of decisions) {
    if (!Number.isInteger(decision.record) || decision.record < 0 || decision.record >= total) {
      throw new RangeError(`screening decision for record ${decision.record}, but the review has records 0 to ${total - 1}`);
    }
    latest.set(decision.record, decision.isIncluded);
  }
  const included = [...latest].filter(([, isIncluded]) => isIncluded).map(([record]) => record);
  const excluded = [...latest].filter(([, isIncluded]) => !isIncluded).map(([record]) => record);
  const candidates: number[] = [];
  for (let record = 0; record < total; record += 1) {
    if (!latest.has(record)) {
      candidates.push(record);
    }
  }
  const seed = options.seed ?? 0;
  const query = { randomShare: options.randomShare ?? 0, random: createRandom(seed + 1) };
  const scores = new Float64Array(total).fill(Number.NaN);
  const finish = (candidateScores: Float64Array, method: RankingMethod, explanation: string, model?: TrainedModel): Ranking => {
    candidates.forEach((record, position) => {
      scores[record] = candidateScores[position] as number;
    });
    const order = orderForScreening(candidateScores, candidates, query);
    return { order, scores, method, explanation, ...(model ? { model } : {}) };
  };

  if (included.length > 0 && excluded.length > 0) {
    const modelName = options.model ?? 'nb';
    const rows = Int32Array.from([...latest.keys()]);
    const labels = Uint8Array.from([...latest.values()], (isIncluded) => (isIncluded ? 1 : 0));
    const model = trainOnDecisions(createClassifier(modelName), space.matrix, rows, labels, {
      balance: options.balance ?? 'double',
      random: createRandom(seed),
      previous: options.previous,
    });
    const label = modelName === 'nb' ? 'naive Bayes' : 'logistic regression';
    return finish(
      model.score(space.matrix, candidates),
      'model',
      `Ordered by a ${label} model trained on ${counted(latest.size, 'decision')} (${included.length} included), most likely relevant first.`,
      model,
    );
  }
  const queryVector = coldStartQuery(space, options.protocol, included, excluded);
  if (queryVector.indices.length > 0) {
    const isFeedback = latest.size > 0;
    return finish(
      similarityScores(space.matrix, queryVector, candidates),
      isFeedback ? 'relevance-feedback' : 'protocol',
      isFeedback
        ? `Ordered by similarity to the protocol and the ${included.length > 0 ? 'inclusions' : 'exclusions'} so far: a model needs at least one inclusion and one exclusion.`
        : 'Ordered by similarity to the protocol: a model needs at least one inclusion and one exclusion.',
    );
  }
  return finish(
    new Float64Array(candidates.length),
    'file-order',
    latest.size > 0
      ? 'In file order: a model needs at least one inclusion and one exclusion, and there is no protocol text to compare with.'
      : 'In file order: there is no protocol text and no decision yet.',
  );
};
