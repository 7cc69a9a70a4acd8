import type { Classifier, TrainedModel } from './classifier.js';
import { screeningMetrics, type ScreeningMetrics } from './metrics.js';
import { createClassifier, trainOnDecisions, type BalanceStrategy, type ModelName } from './models.js';
import { orderForScreening } from './query.js';
import { createRandom, sampleWithoutReplacement, shuffle } from './random.js';
import type { SparseMatrix } from './sparse.js';

/**
 * When the model is retrained during a simulation:
 * - `each`: after every decision (ASReview's default, one record per query);
 * - `growing`: after every decision for the first 200 records screened after the priors, then after
 *   every ⌊screened / 100⌋ decisions (1% of the records screened so far), the order in between
 *   taken from the last model's ranking;
 * - a number n: after every n decisions.
 */
export type RetrainSchedule = 'each' | 'growing' | number;

export interface SimulationOptions {
  /** A model, or `random` for the random-order baseline. */
  model: ModelName | 'random';
  seed: number;
  /** Random inclusions and exclusions labelled before the first model (ASReview's prior knowledge); default 1 and 1. */
  priorIncluded: number;
  priorExcluded: number;
  /** Share of random picks (see `orderForScreening`); default 0. */
  randomShare: number;
  retrain: RetrainSchedule;
  balance: BalanceStrategy;
  /** A classifier with non-default settings, used instead of `model`'s default one. */
  classifier?: Classifier | undefined;
}

export const defaultSimulationOptions: SimulationOptions = {
  model: 'nb',
  seed: 0,
  priorIncluded: 1,
  priorExcluded: 1,
  randomShare: 0,
  retrain: 'each',
  balance: 'double',
};

export interface SimulationResult extends ScreeningMetrics {
  /** The prior records, labelled first. */
  priors: Int32Array;
  /** Every other record in the order it was screened. */
  order: Int32Array;
  /** How many times a model was trained. */
  retrains: number;
}

/** How many decisions are taken from one model before the next retrain. */
export const decisionsPerRetrain = (schedule: RetrainSchedule, screened: number): number => {
  if (schedule === 'each') {
    return 1;
  }
  if (schedule === 'growing') {
    return screened < 200 ? 1 : Math.floor(screened / 100);
  }
  return Math.max(1, Math.floor(schedule));
};

/**
 * Replays the screening of a labelled review (issue #5 item 5): K random inclusions and exclusions
 * are labelled first, then a model trained on every decision so far picks the next records until
 * all are screened; the labels supply each decision. Deterministic for a seed. Metrics leave the
 * priors out, as ASReview's do.
 */
export const simulateScreening = (
  matrix: SparseMatrix,
  labels: Uint8Array,
  options: Partial<SimulationOptions> = {},
  onProgress?: (screened: number, total: number) => void,
): SimulationResult => {
  const settings: SimulationOptions = { ...defaultSimulationOptions, ...options };
  if (labels.length !== matrix.rows) {
    throw new RangeError(`simulation: ${labels.length} labels for ${matrix.rows} records`);
  }
  const included: number[] = [];
  const excluded: number[] = [];
  labels.forEach((label, record) => (label === 1 ? included : excluded).push(record));
  if (included.length < settings.priorIncluded || excluded.length < settings.priorExcluded) {
    throw new RangeError(
      `simulation: asked for ${settings.priorIncluded} prior inclusions and ${settings.priorExcluded} prior exclusions, but the set has ${included.length} and ${excluded.length}`,
    );
  }
  const priorRandom = createRandom(settings.seed);
  const priors = Int32Array.from([
    ...sampleWithoutReplacement(included, settings.priorIncluded, priorRandom),
    ...sampleWithoutReplacement(excluded, settings.priorExcluded, priorRandom),
  ]);
  const total = matrix.rows;
  const isLabelled = new Uint8Array(total);
  const labelledRows = new Int32Array(total);
  const labelledLabels = new Uint8Array(total);
  let labelledCount = 0;
  const label = (record: number): void => {
    isLabelled[record] = 1;
    labelledRows[labelledCount] = record;
    labelledLabels[labelledCount] = labels[record] as number;
    labelledCount += 1;
  };
  priors.forEach(label);
  const order = new Int32Array(total - priors.length);
  let screened = 0;
  let retrains = 0;

  if (settings.model === 'random') {
    const rest = shuffle(
      Array.from({ length: total }, (_, record) => record).filter((record) => isLabelled[record] === 0),
      createRandom(settings.seed + 2),
    );
    order.set(rest);
    screened = rest.length;
  } else {
    const classifier = settings.classifier ?? createClassifier(settings.model);
    const balanceRandom = createRandom(settings.seed + 1);
    const queryRandom = createRandom(settings.seed + 2);
    let previous: TrainedModel | undefined;
    const unlabelled: number[] = [];
    for (let record = 0; record < total; record += 1) {
      if (isLabelled[record] === 0) {
        unlabelled.push(record);
      }
    }
    while (screened < order.length) {
      const rows = labelledRows.subarray(0, labelledCount);
      const rowLabels = labelledLabels.subarray(0, labelledCount);
      const hasBothClasses = rowLabels.includes(1) && rowLabels.includes(0);
      const batch = decisionsPerRetrain(settings.retrain, screened);
      let picks: Int32Array;
      if (hasBothClasses) {
        previous = trainOnDecisions(classifier, matrix, rows, rowLabels, { balance: settings.balance, random: balanceRandom, previous });
        retrains += 1;
        const candidates = unlabelled.filter((record) => isLabelled[record] === 0);
        picks = orderForScreening(previous.score(matrix, candidates), candidates, { randomShare: settings.randomShare, random: queryRandom }, batch);
      } else {
        // Priors of one class only (K = 0 for the other): random picks until both classes are seen.
        const candidates = unlabelled.filter((record) => isLabelled[record] === 0);
        picks = Int32Array.from(sampleWithoutReplacement(candidates, Math.min(batch, candidates.length), queryRandom));
      }
      for (const record of picks) {
        label(record);
        order[screened] = record;
        screened += 1;
      }
      // Compact the candidate list now and then so that filtering stays cheap.
      if (unlabelled.length > 2 * (total - labelledCount)) {
        const kept = unlabelled.filter((record) => isLabelled[record] === 0);
        unlabelled.length = 0;
        unlabelled.push(...kept);
      }
      onProgress?.(screened, order.length);
    }
  }
  const orderedLabels = order.map((record) => labels[record] as number);
  return { ...screeningMetrics(orderedLabels), priors, order, retrains };
};
