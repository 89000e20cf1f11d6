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

/** A copy of `matrix` whose arrays live in SharedArrayBuffers, so worker threads can read it. */
export function toSharedCsr(matrix: Csr): Csr {
  const nnz = nonzeros(matrix);
  const indptr = new Int32Array(new SharedArrayBuffer(4 * (matrix.rows + 1)));
  const indices = new Int32Array(new SharedArrayBuffer(4 * nnz));
  const values = new Float64Array(new SharedArrayBuffer(8 * nnz));
  indptr.set(matrix.indptr);
  indices.set(matrix.indices.subarray(0, nnz));
  values.set(matrix.values.subarray(0, nnz));
  return { rows: matrix.rows, cols: matrix.cols, indptr, indices, values };
}
