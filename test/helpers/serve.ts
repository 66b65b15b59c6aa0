import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestIn } from './newest.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The node arguments that run the segmint command as a child process: the built command users run
 * (bin/segmint.js, which loads dist/) when `npm run build` made dist/ after the last change to any file
 * under src/ (as npm ci does in CI), since it starts in a third of the time; otherwise the sources
 * through tsx, so a process test never runs a stale build.
 */
function cliArgs(): string[] {
  const built = join(root, 'dist', 'cli', 'main.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestIn(join(root, 'src'))) return [join(root, 'bin', 'segmint.js')];
  return ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
}

/** The segmint command as node arguments: `spawn(process.execPath, [...CLI, ...args])`. */
export const CLI: readonly string[] = cliArgs();

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `segmint` command as a separate process, as a user in another terminal would. */
export function segmint(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...CLI, ...args], {
      cwd: opts.cwd ?? root,
      env: { ...process.env, SEGMINT_DB: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `segmint serve --port 0` on a database and resolves with the URL it prints on stdout. */
export function startServe(db: string, extra: readonly string[] = []): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, '--db', db, 'serve', '--port', '0', '--log-level', 'warn', ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

/** Waits until fn returns something other than undefined (polling), or fails after `ms`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
