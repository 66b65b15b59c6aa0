import { vi } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

/** Runs `segmint --db <db> ...args` in this process, as a user would type it, and returns what it printed. */
export async function runCli(db: string, ...args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'segmint', '--db', db, ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

/** Runs `run` with what it writes to stderr captured: its result as `out`, stderr's text as `err`. */
export async function withStderr(run: () => Promise<string>): Promise<{ out: string; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { out: await run(), err };
  } finally {
    spy.mockRestore();
  }
}
