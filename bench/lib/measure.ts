/**
 * Small helpers shared by the benchmarks: timing, medians, the machine's load, and the figure / floor /
 * ratio line every target prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const sharedData = join(root, '..', 'shared', 'data');

/** Milliseconds fn takes, with its result. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** Median of fn's time over `runs` runs (after `warmup` untimed ones), in ms. */
export async function medianMs(fn: () => Promise<unknown> | unknown, runs: number, warmup = 0): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)).ms);
  return median(times);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);

/** The 1-minute load average and the core count, to print beside any figure (the machine is shared). */
export function machineLoad(): string {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`;
}

/**
 * One target's line: the figure, the floor measured in the same run, their ratio and, when given, the
 * target it is held to (an absolute time or a ratio).
 */
export function report(what: string, figureMs: number, floorMs: number, floorWhat: string, target?: string): void {
  const ratio = figureMs / floorMs;
  console.log(
    `${what.padEnd(58)} ${fmtMs(figureMs).padStart(10)}   floor ${fmtMs(floorMs).padStart(9)} (${floorWhat})   ratio ${ratio.toFixed(2)}` +
      (target ? `   target ${target}` : ''),
  );
}

/** Median wall time of a command over `runs` runs, in ms; throws if it fails. */
export function commandMs(command: string, args: readonly string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr.toString()}`);
  }
  return median(times);
}

/** Builds dist/ when any source file is newer than the CLI entry (the CLI benchmarks run the built CLI). */
export function ensureBuilt(): void {
  const entry = join(root, 'dist', 'cli', 'main.js');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce(
      (m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
      0,
    );
  if (!existsSync(entry) || newest(join(root, 'src')) > statSync(entry).mtimeMs) {
    console.log('(building dist/ first: npm run build)');
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }
}
