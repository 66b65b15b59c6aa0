import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The header of an Online Retail order file (the UCI layout). */
export const RETAIL_HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

/** Writes `lines` under the Online Retail header to `dir`/orders.csv and imports it into `db` with the CLI (stderr kept quiet). */
export async function importRetailLines(db: string, dir: string, lines: readonly string[]): Promise<void> {
  const csv = join(dir, 'orders.csv');
  writeFileSync(csv, [RETAIL_HEADER, ...lines].join('\n') + '\n');
  await withStderr(() => runCli(db, 'import', csv));
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

/** What a command run in this process printed and the exit code it set (process.exitCode, else `code`'s answer). */
export interface Printed {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `run` as the CLI would in this process, in `cwd` when given, with stdout and stderr captured and
 * process.exitCode reset before and restored after; the exit code is what `run` returns, else the
 * process.exitCode it set, else 0.
 */
export async function printed(run: () => Promise<number | void>, cwd?: string): Promise<Printed> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  const home = process.cwd();
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    if (cwd) process.chdir(cwd);
    const code = await run();
    return { code: code ?? Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.chdir(home);
    process.exitCode = saved;
    out.mockRestore();
    err.mockRestore();
  }
}
