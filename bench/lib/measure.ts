/**
 * Small helpers shared by the benchmarks: timing, medians, the machine's load, and the figure / floor /
 * ratio line every target prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

/**
 * Milliseconds fn takes, wall and CPU (user + system of the whole process, so DuckDB's worker threads
 * count too: on a loaded machine the CPU time says more than the wall time), with its result.
 */
export async function timedCpu<T>(fn: () => Promise<T> | T): Promise<{ ms: number; cpuMs: number; value: T }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  const u = process.cpuUsage(c);
  return { ms, cpuMs: (u.user + u.system) / 1000, value };
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

/** CPU milliseconds (user + system) of this process's waited-for children, from /proc (Linux); NaN elsewhere. */
function childrenCpuMs(): number {
  try {
    // Fields after the command name: ... utime stime cutime cstime (14-17 of proc(5)), in clock ticks (100 a second).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

/** Median wall time and median CPU time (user + system, Linux only, else NaN) of a command over `runs` runs, in ms. */
export function commandTimes(command: string, args: readonly string[], runs: number): { wallMs: number; cpuMs: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = childrenCpuMs();
    walls.push(commandMs(command, args, 1));
    cpus.push(childrenCpuMs() - c);
  }
  return { wallMs: median(walls), cpuMs: median(cpus) };
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
