/**
 * One customer's state of one event stream (see ../plan/streams.ts): the events a window may still
 * need, oldest first, with their value columns, and a summary of the events folded away. Instants are
 * epoch milliseconds; a value that is not a JSON number is NaN and takes no part in sums, as in the
 * evaluator and the SQL.
 */
export interface StreamState {
  /** event times, ascending (equal times keep arrival order) */
  t: number[];
  /** per value column, parallel to t */
  v: number[][];
  /** events folded into the summary */
  count: number;
  /** earliest folded event, Infinity when none */
  first: number;
  /** per value column, over the folded numeric values: how many, their sum, minimum and maximum */
  n: number[];
  sum: number[];
  min: number[];
  max: number[];
}

export function emptyStream(columns: number): StreamState {
  return {
    t: [],
    v: Array.from({ length: columns }, () => []),
    count: 0,
    first: Infinity,
    n: new Array<number>(columns).fill(0),
    sum: new Array<number>(columns).fill(0),
    min: new Array<number>(columns).fill(Infinity),
    max: new Array<number>(columns).fill(-Infinity),
  };
}

export function cloneStream(s: StreamState): StreamState {
  return { t: [...s.t], v: s.v.map((c) => [...c]), count: s.count, first: s.first, n: [...s.n], sum: [...s.sum], min: [...s.min], max: [...s.max] };
}

function fold(s: StreamState, t: number, values: readonly number[]): void {
  s.count++;
  if (t < s.first) s.first = t;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    s.n[i]!++;
    s.sum[i]! += x;
    if (x < s.min[i]!) s.min[i] = x;
    if (x > s.max[i]!) s.max[i] = x;
  }
}

/** The index of the first time > t (upper bound), by binary search. */
export function upperBound(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first time >= t (lower bound). */
export function lowerBound(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds an event. One that no window can need any more (before `keep`, and not after now) goes straight
 * to the summary: a late event is counted where it belongs, whatever order events arrive in.
 */
export function addEvent(s: StreamState, t: number, values: readonly number[], keep: number, now: number): void {
  if (t < keep && t <= now) {
    fold(s, t, values);
    return;
  }
  const at = upperBound(s.t, t);
  s.t.splice(at, 0, t);
  for (let i = 0; i < s.v.length; i++) s.v[i]!.splice(at, 0, values[i] ?? NaN);
}

/** Folds the events before `keep` (and not after now) into the summary; returns whether any were. */
export function prune(s: StreamState, keep: number, now: number): boolean {
  const limit = Math.min(lowerBound(s.t, keep), upperBound(s.t, now));
  if (limit <= 0) return false;
  const row: number[] = new Array<number>(s.v.length);
  for (let k = 0; k < limit; k++) {
    for (let i = 0; i < s.v.length; i++) row[i] = s.v[i]![k]!;
    fold(s, s.t[k]!, row);
  }
  s.t.splice(0, limit);
  for (const c of s.v) c.splice(0, limit);
  return true;
}

/** The state of two customers' streams once they are one customer (a merge): events and summaries add up. */
export function mergeStreams(a: StreamState, b: StreamState): StreamState {
  const out = cloneStream(a);
  out.count += b.count;
  out.first = Math.min(out.first, b.first);
  for (let i = 0; i < out.n.length; i++) {
    out.n[i]! += b.n[i]!;
    out.sum[i]! += b.sum[i]!;
    out.min[i] = Math.min(out.min[i]!, b.min[i]!);
    out.max[i] = Math.max(out.max[i]!, b.max[i]!);
  }
  for (let k = 0; k < b.t.length; k++) addEvent(out, b.t[k]!, b.v.map((c) => c[k]!), -Infinity, -Infinity);
  return out;
}

/** Whether two states hold the same events and summary (after a reload, to tell what changed). */
export function sameStream(a: StreamState | undefined, b: StreamState | undefined): boolean {
  if (!a || !b) return (a?.t.length ?? 0) + (a?.count ?? 0) === 0 && (b?.t.length ?? 0) + (b?.count ?? 0) === 0;
  if (a.count !== b.count || a.first !== b.first || a.t.length !== b.t.length) return false;
  for (let k = 0; k < a.t.length; k++) if (a.t[k] !== b.t[k]) return false;
  for (let i = 0; i < a.v.length; i++) {
    if (a.n[i] !== b.n[i] || a.sum[i] !== b.sum[i]) return false;
    for (let k = 0; k < a.t.length; k++) if (!Object.is(a.v[i]![k], b.v[i]![k])) return false;
  }
  return true;
}

/** Entries held (raw events), for the memory report. */
export function heldEvents(s: StreamState): number {
  return s.t.length;
}
