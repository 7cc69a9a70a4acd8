import { describe, expect, it } from 'vitest';
import { balancedWeights, doubleBalance } from './balance.js';
import type { Classifier } from './classifier.js';
import { buildFeatures } from './features.js';
import { createLinearSvm, createLogisticRegression } from './logistic-regression.js';
import { createClassifier, modelNames } from './models.js';
import { ASREVIEW_NB_ALPHA, createNaiveBayes, DEFAULT_NB_ALPHA } from './naive-bayes.js';
import { createRandom } from './random.js';
import type { SparseMatrix } from './sparse.js';

const matrixOf = (rows: number[][]): SparseMatrix => {
  const rowStart = [0];
  const columnIndex: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    row.forEach((value, column) => {
      if (value !== 0) {
        columnIndex.push(column);
        values.push(value);
      }
    });
    rowStart.push(columnIndex.length);
  }
  return { rows: rows.length, columns: rows[0]?.length ?? 0, rowStart: Int32Array.from(rowStart), columnIndex: Int32Array.from(columnIndex), values: Float64Array.from(values) };
};

const trainingOf = (rows: number[], labels: number[], weights?: number[]) => ({
  rows: Int32Array.from(rows),
  labels: Uint8Array.from(labels),
  weights: Float64Array.from(weights ?? rows.map(() => 1)),
});

/** A linear model's insides, which the optimality checks below read. */
interface LinearModel {
  weights: Float64Array;
  bias: number;
  score: (matrix: SparseMatrix, rows?: ArrayLike<number>) => Float64Array;
}

const trainLinear = (classifier: Classifier, matrix: SparseMatrix, rows: number[], rowLabels: number[], weights?: number[]): LinearModel =>
  classifier.train(matrix, trainingOf(rows, rowLabels, weights)) as unknown as LinearModel;

/** `Σ factorᵢ xᵢ` and `Σ factorᵢ` over the given rows: where a linear model's optimum must sit. */
const weightedRowSum = (matrix: SparseMatrix, rows: number[], factorOf: (position: number) => number) => {
  const weights = new Float64Array(matrix.columns);
  let bias = 0;
  rows.forEach((row, position) => {
    const factor = factorOf(position);
    bias += factor;
    for (let entry = matrix.rowStart[row] as number; entry < (matrix.rowStart[row + 1] as number); entry += 1) {
      const column = matrix.columnIndex[entry] as number;
      weights[column] = (weights[column] as number) + factor * (matrix.values[entry] as number);
    }
  });
  return { weights, bias };
};

/** −d/dz of log(1 + e^(−y z)) for a label (1 or 0) and margin z: y σ(−y z). */
const logisticSlope = (label: number, margin: number): number => {
  const sign = label === 1 ? 1 : -1;
  return sign / (1 + Math.exp(sign * margin));
};

// Two topics; the first four records of each are labelled, the rest are to be ranked.
const heart = ['statin trial myocardial infarction', 'statin cholesterol cardiovascular events', 'aspirin myocardial infarction trial', 'blood pressure stroke cardiovascular', 'statin stroke prevention cardiovascular', 'myocardial infarction aspirin statin'];
const other = ['housing homeless tenancy', 'reading phonics school children', 'loneliness social prescribing community', 'cycling commuting cities lanes', 'school children phonics reading', 'homeless housing support tenancy'];
const space = buildFeatures([...heart, ...other].map((title) => ({ title })));
const labelled = [0, 1, 2, 3, 6, 7, 8, 9];
const labels = labelled.map((record) => (record < 6 ? 1 : 0));
const unlabelled = [4, 5, 10, 11];

describe('naive Bayes', () => {
  it('scores the log-odds of scikit-learn’s MultinomialNB', () => {
    const matrix = matrixOf([
      [1, 0],
      [0, 1],
      [0.6, 0.8],
    ]);
    const model = createNaiveBayes(1).train(matrix, trainingOf([0, 1], [1, 0]));
    // feature_log_prob: included log([2, 1] / 3), excluded log([1, 2] / 3); equal priors.
    const expected = 0.6 * (Math.log(2 / 3) - Math.log(1 / 3)) + 0.8 * (Math.log(1 / 3) - Math.log(2 / 3));
    expect(model.score(matrix, [2])[0]).toBeCloseTo(expected, 12);
  });

  it('treats a sample weight as that many copies of the record', () => {
    const matrix = matrixOf([
      [1, 0, 0],
      [0, 1, 1],
      [0.5, 0.5, 0],
      [0.2, 0.3, 0.5],
    ]);
    const weighted = createNaiveBayes().train(matrix, trainingOf([0, 1, 2], [1, 0, 1], [3, 1, 0]));
    const copied = createNaiveBayes().train(matrix, trainingOf([0, 0, 0, 1], [1, 1, 1, 0]));
    expect(Array.from(weighted.score(matrix))).toEqual(Array.from(copied.score(matrix)).map((value) => expect.closeTo(value, 12)));
  });
});

describe.each(modelNames)('%s', (name) => {
  it('ranks the unlabelled records of a clearly separable set relevant first', () => {
    const model = createClassifier(name).train(space.matrix, trainingOf(labelled, labels));
    const scores = model.score(space.matrix, unlabelled);
    expect(Math.min(scores[0] as number, scores[1] as number)).toBeGreaterThan(Math.max(scores[2] as number, scores[3] as number));
  });
});

describe('logistic regression', () => {
  it('reaches the same model from a warm start', () => {
    const classifier = createLogisticRegression({ tolerance: 1e-8, maxIterations: 500, maxWarmIterations: 500 });
    const cold = classifier.train(space.matrix, trainingOf(labelled, labels));
    const nudged = classifier.train(space.matrix, trainingOf(labelled, labels, labels.map((label) => (label ? 2 : 1))));
    const warm = classifier.train(space.matrix, trainingOf(labelled, labels), nudged);
    expect(Array.from(warm.score(space.matrix))).toEqual(Array.from(cold.score(space.matrix)).map((value) => expect.closeTo(value, 4)));
  });

  it('reaches the optimum of ½‖w‖² + C Σ sᵢ log(1 + e^(−yᵢ(w·xᵢ + b))): w = C Σ sᵢ yᵢ σ(−yᵢ zᵢ) xᵢ, and the free intercept’s Σ sᵢ yᵢ σ(−yᵢ zᵢ) = 0', () => {
    const weights = [1, 3, 1, 2, 1, 1, 4, 1];
    const model = trainLinear(createLogisticRegression({ tolerance: 1e-10, maxIterations: 2000 }), space.matrix, labelled, labels, weights);
    const margins = model.score(space.matrix, labelled);
    const optimum = weightedRowSum(space.matrix, labelled, (position) => (weights[position] as number) * logisticSlope(labels[position] as number, margins[position] as number));
    expect(Array.from(model.weights)).toEqual(Array.from(optimum.weights).map((value) => expect.closeTo(value, 4)));
    expect(optimum.bias).toBeCloseTo(0, 4);
    // A model that has learnt something: the inclusions score above the exclusions.
    expect(Math.min(...Array.from(margins.slice(0, 4)))).toBeGreaterThan(Math.max(...Array.from(margins.slice(4))));
  });

  it('backtracks when a full step overshoots: on large feature values it still reaches the optimum', () => {
    // Values of 30 make the first steps far too long, so the line search has to shorten them.
    const matrix = matrixOf([
      [30, 1, 0],
      [1, 30, 0],
      [20, 5, 3],
      [5, 20, 3],
      [25, 25, 1],
    ]);
    const rows = [0, 1, 2, 3, 4];
    const rowLabels = [1, 0, 1, 0, 1];
    const model = trainLinear(createLogisticRegression({ tolerance: 1e-10, maxIterations: 2000 }), matrix, rows, rowLabels);
    const margins = model.score(matrix);
    const optimum = weightedRowSum(matrix, rows, (position) => logisticSlope(rowLabels[position] as number, margins[position] as number));
    expect(Array.from(model.weights)).toEqual(Array.from(optimum.weights).map((value) => expect.closeTo(value, 3)));
  });
});

describe('linear SVM (ASReview 2’s default classifier)', () => {
  it('reaches the optimum of ½‖(w, b)‖² + C Σ sᵢ max(0, 1 − yᵢ(w·xᵢ + b))², where (w, b) = 2C Σ sᵢ yᵢ hingeᵢ (xᵢ, 1)', () => {
    const weights = [1, 2, 1, 1, 1, 3, 1, 1];
    const model = trainLinear(createLinearSvm({ tolerance: 1e-10, maxIterations: 2000 }), space.matrix, labelled, labels, weights);
    const margins = model.score(space.matrix, labelled);
    const optimum = weightedRowSum(space.matrix, labelled, (position) => {
      const sign = labels[position] === 1 ? 1 : -1;
      return 2 * 0.11 * (weights[position] as number) * sign * Math.max(0, 1 - sign * (margins[position] as number));
    });
    expect(Array.from(model.weights)).toEqual(Array.from(optimum.weights).map((value) => expect.closeTo(value, 4)));
    expect(model.bias).toBeCloseTo(optimum.bias, 4);
    // C = 0.11 keeps the margins inside the hinge, so every training row contributes.
    expect(Math.max(...Array.from(margins, (margin, position) => (labels[position] === 1 ? margin : -margin)))).toBeLessThan(1);
  });
});

describe('naive Bayes smoothing', () => {
  it('is Laplace (alpha 1) for our default and 3.822 for the ASReview reference', () => {
    expect(DEFAULT_NB_ALPHA).toBe(1);
    expect(ASREVIEW_NB_ALPHA).toBe(3.822);
    const ours = createClassifier('nb').train(space.matrix, trainingOf(labelled, labels)).score(space.matrix);
    const laplace = createNaiveBayes(1).train(space.matrix, trainingOf(labelled, labels)).score(space.matrix);
    const asreview = createNaiveBayes(ASREVIEW_NB_ALPHA).train(space.matrix, trainingOf(labelled, labels)).score(space.matrix);
    expect(Array.from(ours)).toEqual(Array.from(laplace));
    expect(Array.from(ours)).not.toEqual(Array.from(asreview));
  });
});

describe('double balance', () => {
  it('keeps the training set’s size, copying inclusions and sampling exclusions as ASReview does', () => {
    const trainingLabels = [1, 1, ...Array.from({ length: 98 }, () => 0)];
    const weights = doubleBalance(trainingLabels, createRandom(7));
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBe(100);
    // a·(2/98)^−α = 83.60 and 1 − 0.211 / (1 + ln 100) = 0.9624: 2·83.60·100 / (167.21 + 94.31) = 63.94 inclusion places.
    const onePlaces = (weights[0] as number) + (weights[1] as number);
    expect([63, 64]).toContain(onePlaces);
    expect(Math.abs((weights[0] as number) - (weights[1] as number))).toBeLessThanOrEqual(1);
    expect(weights.slice(2).every((weight) => weight === 0 || weight === 1)).toBe(true);
  });

  it('is the same for the same seed and falls back to weight 1 with one class', () => {
    const trainingLabels = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    expect(Array.from(doubleBalance(trainingLabels, createRandom(3)))).toEqual(Array.from(doubleBalance(trainingLabels, createRandom(3))));
    expect(Array.from(doubleBalance([0, 0, 0], createRandom(3)))).toEqual([1, 1, 1]);
  });
});

describe('balanced weights', () => {
  it('weighs exclusions n₁ / (ratio · n₀) against inclusions, summing to n', () => {
    const weights = balancedWeights([1, 0, 0, 0], 2);
    expect((weights[1] as number) / (weights[0] as number)).toBeCloseTo(1 / 6, 12);
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(4, 12);
  });
});
