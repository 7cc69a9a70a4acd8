import type { SparseMatrix } from './sparse.js';

/** The records a model learns from: rows of the feature matrix, their labels (1 included, 0 excluded) and weights. */
export interface TrainingSet {
  readonly rows: Int32Array;
  readonly labels: Uint8Array;
  /** How much each row counts (double balance's copies); 0 leaves a row out. */
  readonly weights: Float64Array;
}

/** A trained model: scores rows so that a higher score means more likely relevant. */
export interface TrainedModel {
  /**
   * Scores of the given rows (all rows when omitted), in the same order: the log-odds of relevance
   * for naive Bayes and logistic regression. Only the order is used for ranking.
   */
  score(matrix: SparseMatrix, rows?: ArrayLike<number>): Float64Array;
}

/** A learning method: the same interface for every model, so the ranking and the simulation do not care which. */
export interface Classifier {
  readonly name: string;
  /** Trains on the training set; `previous` (a model of the same kind) may be used as a warm start. */
  train(matrix: SparseMatrix, training: TrainingSet, previous?: TrainedModel): TrainedModel;
}

/** Scores `rows` (or all rows) with a per-row scorer. */
export const scoreRows = (matrix: SparseMatrix, rows: ArrayLike<number> | undefined, scoreRow: (row: number) => number): Float64Array => {
  const count = rows ? rows.length : matrix.rows;
  const scores = new Float64Array(count);
  for (let position = 0; position < count; position += 1) {
    scores[position] = scoreRow(rows ? (rows[position] as number) : position);
  }
  return scores;
};
