import type { Summaries } from './summary.js';

/**
 * Calibration summaries prepared for repeated likelihood evaluations, in columns of indices:
 * - customers with the same (x, tₓ, T) share one row with a weight (how many customers it stands for): the
 *   repeat-purchase likelihoods depend on a customer only through that triple, and real bases repeat it
 *   often (CDNOW's 2,357 customers are 1,016 distinct triples, the whole cohort's 23,570 are 8,685);
 * - each row points into the distinct values of x, of tₓ and of T, so a term such as ln(α+T) or lnΓ(r+x)
 *   is computed once per distinct value per evaluation instead of once per customer;
 * - each row points to the distinct (x, tₓ) and (x, T) pairs, the points where the Pareto/NBD evaluates
 *   its ₂F₁ tail term.
 */
export interface SummaryGroups {
  /** Distinct (x, tₓ, T) rows. */
  readonly size: number;
  /** Customers behind the rows: the sum of the weights. */
  readonly customers: number;
  /** The row of each input entry (customer), in input order. */
  readonly rowOf: Int32Array;
  readonly weight: Float64Array;
  readonly xIndex: Int32Array;
  readonly xValues: Float64Array;
  readonly txIndex: Int32Array;
  readonly txValues: Float64Array;
  readonly tIndex: Int32Array;
  readonly tValues: Float64Array;
  /** Point of (x, tₓ) and of (x, T) for each row, into pointX / pointY. */
  readonly txPoint: Int32Array;
  readonly tPoint: Int32Array;
  readonly pointX: Float64Array;
  readonly pointY: Float64Array;
}

/** The distinct values of a column and, for each entry, the index of its value. */
function distinct(values: ArrayLike<number>): { index: Int32Array; values: Float64Array } {
  const at = new Map<number, number>();
  const out: number[] = [];
  const index = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    let k = at.get(v);
    if (k === undefined) {
      k = out.length;
      at.set(v, k);
      out.push(v);
    }
    index[i] = k;
  }
  return { index, values: Float64Array.from(out) };
}

/**
 * Groups customers by (x, tₓ, T) and indexes the distinct values (see SummaryGroups). Linear in the number
 * of customers: values are keyed as numbers (never as text), and a triple by its three value indices.
 * A summary with weights (already grouped) keeps them, summed per row.
 */
export function groupSummaries(d: Summaries): SummaryGroups {
  const n = d.x.length;
  const xs = distinct(d.x);
  const txs = distinct(d.tx);
  const ts = distinct(d.T);
  const nx = xs.values.length;
  const ntx = txs.values.length;
  const nt = ts.values.length;
  // A triple's key is its three value indices as one integer; past 2^53 combinations, as text.
  const exact = nx * ntx * nt < Number.MAX_SAFE_INTEGER;
  const rowOfKey = new Map<number | string, number>();
  const rowOf = new Int32Array(n);
  const weight: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = xs.index[i] as number;
    const b = txs.index[i] as number;
    const c = ts.index[i] as number;
    const key = exact ? (a * ntx + b) * nt + c : `${a}|${b}|${c}`;
    const w = d.weight ? (d.weight[i] as number) : 1;
    const row = rowOfKey.get(key);
    if (row === undefined) {
      rowOf[i] = first.length;
      rowOfKey.set(key, first.length);
      first.push(i);
      weight.push(w);
    } else {
      rowOf[i] = row;
      weight[row] = (weight[row] as number) + w;
    }
  }
  const size = first.length;
  const pick = (index: Int32Array) => Int32Array.from(first, (i) => index[i] as number);
  const xIndex = pick(xs.index);
  const txIndex = pick(txs.index);
  const tIndex = pick(ts.index);
  // Points (x, y) for y = tₓ and y = T, keyed by the x index and the index of y among all tₓ and T values.
  const allY = new Float64Array(ntx + nt);
  allY.set(txs.values);
  allY.set(ts.values, ntx);
  const ys = distinct(allY);
  const ny = ys.values.length;
  const pointOf = new Map<number, number>();
  const pointX: number[] = [];
  const pointY: number[] = [];
  const point = (xi: number, yi: number): number => {
    const key = xi * ny + yi;
    let k = pointOf.get(key);
    if (k === undefined) {
      k = pointX.length;
      pointOf.set(key, k);
      pointX.push(xs.values[xi] as number);
      pointY.push(ys.values[yi] as number);
    }
    return k;
  };
  const txPoint = new Int32Array(size);
  const tPoint = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const xi = xIndex[i] as number;
    txPoint[i] = point(xi, ys.index[txIndex[i] as number] as number);
    tPoint[i] = point(xi, ys.index[ntx + (tIndex[i] as number)] as number);
  }
  return {
    size,
    customers: weight.reduce((s, w) => s + w, 0),
    rowOf,
    weight: Float64Array.from(weight),
    xIndex,
    xValues: xs.values,
    txIndex,
    txValues: txs.values,
    tIndex,
    tValues: ts.values,
    txPoint,
    tPoint,
    pointX: Float64Array.from(pointX),
    pointY: Float64Array.from(pointY),
  };
}
