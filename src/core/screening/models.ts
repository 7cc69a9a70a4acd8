import { balancedWeights, doubleBalance } from './balance.js';
import type { Classifier, TrainedModel } from './classifier.js';
import { defaultFeatureOptions, type FeatureOptions } from './features.js';
import { createLogisticRegression } from './logistic-regression.js';
import { createNaiveBayes } from './naive-bayes.js';
import type { Random } from './random.js';
import type { SparseMatrix } from './sparse.js';

/** The models a review can rank with: naive Bayes (ASReview's default) and logistic regression. */
export const modelNames = ['nb', 'logistic'] as const;
export type ModelName = (typeof modelNames)[number];

export const isModelName = (value: string): value is ModelName => (modelNames as readonly string[]).includes(value);

/**
 * The features each model was measured with (docs/decisions/0010): for both, the defaults of
 * `buildFeatures` (words and bigrams found in two or more records, sublinear tf). Naive Bayes on raw
 * word and bigram counts did worse than on words alone; a feature found in one record cannot carry
 * from one record to another, and dropping those keeps each retrain small.
 */
export const featureOptionsFor = (_name: ModelName): Partial<FeatureOptions> => ({ ...defaultFeatureOptions });

/** A classifier by name, with its default settings (naive Bayes with alpha 1, see `DEFAULT_NB_ALPHA`). */
export const createClassifier = (name: ModelName): Classifier => (name === 'nb' ? createNaiveBayes() : createLogisticRegression());

/**
 * How training data are balanced: ASReview 1's double balance (the default), ASReview 2's
 * "balanced" class weights, or every record once.
 */
export type BalanceStrategy = 'double' | 'balanced' | 'none';

/**
 * Trains a classifier on the decisions so far, balanced as asked. `random` drives double balance's
 * sampling, so the same seed gives the same model.
 */
export const trainOnDecisions = (
  classifier: Classifier,
  matrix: SparseMatrix,
  rows: Int32Array,
  labels: Uint8Array,
  options: { balance: BalanceStrategy; random: Random; previous?: TrainedModel | undefined },
): TrainedModel => {
  const weights =
    options.balance === 'double' ? doubleBalance(labels, options.random) : options.balance === 'balanced' ? balancedWeights(labels) : new Float64Array(labels.length).fill(1);
  return classifier.train(matrix, { rows, labels, weights }, options.previous);
};
