/**
 * Median wall-clock milliseconds of `runs` calls of fn, after one warm-up call (the first run pays for
 * loading columns and compiling), so a figure is not one lucky or unlucky run.
 */
export async function medianMs(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
