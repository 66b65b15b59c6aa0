export interface CalibrationBin {
  /** 1 = the lowest predicted probabilities, bins = the highest. */
  readonly bin: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/**
 * Calibration by equal-count bins (deciles by default): customers sorted by predicted probability, cut
 * into `bins` groups of (nearly) equal size, and for each the mean prediction beside the share that
 * actually had the outcome. A calibrated model has the two columns close in every bin.
 *
 * Bin i holds sorted positions [floor(i·n/bins), floor((i+1)·n/bins)); ties are ordered by position, so
 * the table is deterministic. Empty bins (n < bins) are left out.
 */
export function calibrationTable(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const n = predicted.length;
  if (labels.length !== n) throw new RangeError(`calibrationTable: ${n} predictions but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (predicted[a] as number) - (predicted[b] as number) || a - b,
  );
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * n) / bins);
    const hi = Math.floor(((b + 1) * n) / bins);
    if (hi <= lo) continue;
    let p = 0;
    let y = 0;
    for (let i = lo; i < hi; i++) {
      const k = order[i] as number;
      p += predicted[k] as number;
      y += labels[k] as number;
    }
    out.push({ bin: b + 1, count: hi - lo, meanPredicted: p / (hi - lo), observedRate: y / (hi - lo) });
  }
  return out;
}
