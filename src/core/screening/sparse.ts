/**
 * A sparse matrix in compressed sparse row form (one row per record, one column per feature), on
 * typed arrays: row `r` holds columns `columnIndex[rowStart[r] .. rowStart[r + 1])` with `values`
 * at the same positions.
 */
export interface SparseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly rowStart: Int32Array;
  readonly columnIndex: Int32Array;
  readonly values: Float64Array;
}

/** One sparse row: feature indices and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** The dot product of one matrix row with a dense vector. */
export const rowDot = (matrix: SparseMatrix, row: number, dense: Float64Array): number => {
  let sum = 0;
  const end = matrix.rowStart[row + 1] as number;
  for (let position = matrix.rowStart[row] as number; position < end; position += 1) {
    sum += (matrix.values[position] as number) * (dense[matrix.columnIndex[position] as number] as number);
  }
  return sum;
};

/** One matrix row as a sparse vector (views, not copies). */
export const rowOf = (matrix: SparseMatrix, row: number): SparseVector => {
  const start = matrix.rowStart[row] as number;
  const end = matrix.rowStart[row + 1] as number;
  return { indices: matrix.columnIndex.subarray(start, end), values: matrix.values.subarray(start, end) };
};
