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

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/**
 * The distinct values of a column in order of first appearance and, for each entry, the index of its
 * value; values compare as a Map compares keys (NaN equals NaN, −0 equals 0). An open-addressing table
 * over the values' bits: a Map keyed by fractional numbers boxes every key it is asked about, which made
 * this the slowest step of grouping a million customers.
 */
export function distinctValues(values: ArrayLike<number>): { index: Int32Array; values: Float64Array } {
  const n = values.length;
  const index = new Int32Array(n);
  let out: Float64Array = new Float64Array(64);
  let count = 0;
  let mask = 127;
  let slots = new Int32Array(mask + 1).fill(-1);
  let nanAt = -1;
  const slotOf = (v: number): number => {
    bits[0] = v;
    let h = Math.imul((words[0] as number) ^ Math.imul(words[1] as number, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let at = h & mask;
    for (;;) {
      const k = slots[at] as number;
      if (k < 0 || out[k] === v) return at;
      at = (at + 1) & mask;
    }
  };
  for (let i = 0; i < n; i++) {
    let v = values[i] as number;
    if (v !== v) {
      if (nanAt < 0) {
        nanAt = count;
        if (count === out.length) out = grow(out);
        out[count++] = NaN;
      }
      index[i] = nanAt;
      continue;
    }
    if (v === 0) v = 0; // −0 joins 0
    const at = slotOf(v);
    let k = slots[at] as number;
    if (k < 0) {
      if (count === out.length) out = grow(out);
      k = count++;
      out[k] = v;
      slots[at] = k;
      if (2 * count > mask) {
        // Keep the table at most half full: rebuild it twice as large.
        mask = 2 * mask + 1;
        slots = new Int32Array(mask + 1).fill(-1);
        for (let j = 0; j < count; j++) if (j !== nanAt) slots[slotOf(out[j] as number)] = j;
      }
    }
    index[i] = k;
  }
  return { index, values: out.slice(0, count) };
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Groups customers by (x, tₓ, T) and indexes the distinct values (see SummaryGroups). Linear in the number
 * of customers: values are keyed as numbers (never as text), and a triple by its three value indices.
 * A summary with weights (already grouped) keeps them, summed per row.
 */
export function groupSummaries(d: Summaries): SummaryGroups {
  const n = d.x.length;
  const xs = distinctValues(d.x);
  const txs = distinctValues(d.tx);
  const ts = distinctValues(d.T);
  const ntx = txs.values.length;
  const nt = ts.values.length;
  // A triple is found by its value indices combined into one number, exact in a double: in one step when
  // the product of the distinct counts allows, else (x, tₓ) pairs first, then (pair, T), each below n².
  const key = new Float64Array(n);
  let triples: { index: Int32Array; values: Float64Array };
  if (xs.values.length * ntx * nt < Number.MAX_SAFE_INTEGER) {
    for (let i = 0; i < n; i++) key[i] = ((xs.index[i] as number) * ntx + (txs.index[i] as number)) * nt + (ts.index[i] as number);
    triples = distinctValues(key);
  } else {
    for (let i = 0; i < n; i++) key[i] = (xs.index[i] as number) * ntx + (txs.index[i] as number);
    const pairs = distinctValues(key);
    for (let i = 0; i < n; i++) key[i] = (pairs.index[i] as number) * nt + (ts.index[i] as number);
    triples = distinctValues(key);
  }
  const rowOf = triples.index;
  const first = new Int32Array(triples.values.length).fill(-1);
  const weight = new Float64Array(triples.values.length);
  for (let i = 0; i < n; i++) {
    const row = rowOf[i] as number;
    if ((first[row] as number) < 0) first[row] = i;
    weight[row] = (weight[row] as number) + (d.weight ? (d.weight[i] as number) : 1);
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
  const ys = distinctValues(allY);
  const ny = ys.values.length;
  // Keys in the order (row 0, tₓ), (row 0, T), (row 1, tₓ), …: points are numbered by first appearance.
  const pointKey = new Float64Array(2 * size);
  for (let i = 0; i < size; i++) {
    const xi = xIndex[i] as number;
    pointKey[2 * i] = xi * ny + (ys.index[txIndex[i] as number] as number);
    pointKey[2 * i + 1] = xi * ny + (ys.index[ntx + (tIndex[i] as number)] as number);
  }
  const points = distinctValues(pointKey);
  const txPoint = new Int32Array(size);
  const tPoint = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    txPoint[i] = points.index[2 * i] as number;
    tPoint[i] = points.index[2 * i + 1] as number;
  }
  const pointX = points.values.map((k) => xs.values[Math.floor(k / ny)] as number);
  const pointY = points.values.map((k) => ys.values[k % ny] as number);
  return {
    size,
    customers: weight.reduce((s, w) => s + w, 0),
    rowOf,
    weight,
    xIndex,
    xValues: xs.values,
    txIndex,
    txValues: txs.values,
    tIndex,
    tValues: ts.values,
    txPoint,
    tPoint,
    pointX,
    pointY,
  };
}
