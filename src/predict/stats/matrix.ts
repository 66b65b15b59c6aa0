/**
 * A dense row-major matrix of doubles: entry (i, j) is data[i * cols + j]. Feature matrices are held this
 * way so a million customers by a dozen features is one 100 MB buffer rather than a million arrays.
 * Missing values are NaN.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}
