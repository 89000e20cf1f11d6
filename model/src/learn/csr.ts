/** A compressed sparse row matrix. Column indices are sorted within each row. */
export interface Csr {
  rows: number;
  cols: number;
  /** [rows + 1]: row r's entries are at positions indptr[r] .. indptr[r + 1] - 1. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array | Float32Array;
}

export function nonzeros(matrix: Csr): number {
  return matrix.indptr[matrix.rows] ?? 0;
}
