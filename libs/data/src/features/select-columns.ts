import { rowCount } from './feature-matrix.js';

/**
 * Keeps the given columns of a row-major `[rows, width]` matrix, in the given order.
 *
 * @param x The matrix.
 * @param width Columns per row.
 * @param columns Indices of the columns to keep.
 * @example selectColumns(Float32Array.of(1, 2, 3, 4, 5, 6), 3, [0, 2]) // [1, 3, 4, 6]
 */
export function selectColumns(x: Float32Array, width: number, columns: readonly number[]): Float32Array {
  const rows = rowCount(x.length, width, 'data.selectColumns');
  const out = new Float32Array(rows * columns.length);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < columns.length; k++) out[r * columns.length + k] = x[r * width + columns[k]!]!;
  }
  return out;
}
