/**
 * Points as one row-major Float64Array: row i is data[i·d .. i·d + d). Numeric code loops over typed
 * arrays directly; this keeps a million points in one allocation and the inner loops free of objects.
 */
export interface Matrix {
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array;
}

export function matrix(n: number, d: number, data?: Float64Array): Matrix {
  const buf = data ?? new Float64Array(n * d);
  if (buf.length !== n * d) throw new Error(`matrix: ${buf.length} values do not make ${n} rows of ${d}`);
  return { n, d, data: buf };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const d = rows[0]?.length ?? 0;
  const m = matrix(rows.length, d);
  rows.forEach((r, i) => m.data.set(r, i * d));
  return m;
}

/** The rows at the given indices, as a new matrix. */
export function pickRows(x: Matrix, indices: ArrayLike<number>): Matrix {
  const out = matrix(indices.length, x.d);
  for (let j = 0; j < indices.length; j++) out.data.set(x.data.subarray(indices[j]! * x.d, indices[j]! * x.d + x.d), j * x.d);
  return out;
}

/** Squared Euclidean distance between row i of a and row j of b. */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  const ai = i * d;
  const bj = j * d;
  for (let t = 0; t < d; t++) {
    const diff = a[ai + t]! - b[bj + t]!;
    s += diff * diff;
  }
  return s;
}
