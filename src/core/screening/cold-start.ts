import type { FeatureSpace } from './features.js';
import type { SparseMatrix, SparseVector } from './sparse.js';

/**
 * Rocchio's weights (Rocchio 1971; the values in Manning, Raghavan & Schütze, "Introduction to
 * Information Retrieval", 2008, §9.1.1): the query, plus 0.75 × the centroid of the included
 * records, minus 0.15 × the centroid of the excluded ones; negative weights are dropped.
 */
export const rocchioWeights = { query: 1, included: 0.75, excluded: 0.15 } as const;

const addRows = (matrix: SparseMatrix, rows: readonly number[], factor: number, into: Map<number, number>): void => {
  if (rows.length === 0) {
    return;
  }
  const scale = factor / rows.length;
  for (const row of rows) {
    const end = matrix.rowStart[row + 1] as number;
    for (let entry = matrix.rowStart[row] as number; entry < end; entry += 1) {
      const column = matrix.columnIndex[entry] as number;
      into.set(column, (into.get(column) ?? 0) + scale * (matrix.values[entry] as number));
    }
  }
};

/**
 * The query a review starts from before a model can be trained (no decisions yet, or decisions of
 * one class only): the protocol text (question, criteria) in the review's feature space, moved
 * towards the records included so far and away from those excluded (Rocchio relevance feedback).
 */
export const coldStartQuery = (space: FeatureSpace, protocol: string | undefined, included: readonly number[], excluded: readonly number[]): SparseVector => {
  const weights = new Map<number, number>();
  if (protocol) {
    const vector = space.vectorise(protocol);
    for (let position = 0; position < vector.indices.length; position += 1) {
      weights.set(vector.indices[position] as number, rocchioWeights.query * (vector.values[position] as number));
    }
  }
  addRows(space.matrix, included, rocchioWeights.included, weights);
  addRows(space.matrix, excluded, -rocchioWeights.excluded, weights);
  const kept = [...weights].filter(([, weight]) => weight > 0);
  return { indices: Int32Array.from(kept, ([column]) => column), values: Float64Array.from(kept, ([, weight]) => weight) };
};

/** Each row's similarity to a query: the dot product, which is the cosine since rows have unit length. */
export const similarityScores = (matrix: SparseMatrix, query: SparseVector, rows: ArrayLike<number>): Float64Array => {
  const dense = new Float64Array(matrix.columns);
  for (let position = 0; position < query.indices.length; position += 1) {
    dense[query.indices[position] as number] = query.values[position] as number;
  }
  const scores = new Float64Array(rows.length);
  for (let position = 0; position < rows.length; position += 1) {
    const row = rows[position] as number;
    let sum = 0;
    const end = matrix.rowStart[row + 1] as number;
    for (let entry = matrix.rowStart[row] as number; entry < end; entry += 1) {
      sum += (matrix.values[entry] as number) * (dense[matrix.columnIndex[entry] as number] as number);
    }
    scores[position] = sum;
  }
  return scores;
};
