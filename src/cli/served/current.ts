import { AsyncLocalStorage } from 'node:async_hooks';
import type { InLine } from '../../privacy/regulations.js';
import type { RealtimeEngine } from '../../realtime/index.js';
import type { Store } from '../../store/db.js';
import type { FileChannel } from './files.js';
import { terminalSafe } from '../terminal-text.js';

/** A stream a command writes to: the process's, or those of a command sent to a running server. */
export type OutStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * A command run by `segmint serve` on behalf of the CLI (see served/host.ts): where its output goes,
 * the server's open store (the database is the server's, so commands use it rather than open it), the
 * real-time engine, and a signal that fires when the CLI goes away (Ctrl-C).
 */
export interface ServedCommand {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly store: Store;
  readonly engine?: RealtimeEngine;
  /** runs work in line with the server's workflow engine (erasure: src/privacy/regulations.ts) */
  readonly inLine?: InLine;
  readonly signal: AbortSignal;
  /** a file the command writes (--out) is written by the CLI through this channel (served/files.ts) */
  readonly files?: FileChannel;
  readonly server: { readonly pid: number; readonly url: string; readonly startedAt: Date };
}

const served = new AsyncLocalStorage<ServedCommand>();

/** Runs fn as a command served for a CLI: everything it prints goes to that CLI. */
export function runServed<T>(ctx: ServedCommand, fn: () => Promise<T>): Promise<T> {
  return served.run(ctx, fn);
}

/** The served command this code runs in, if any. */
export function servedCommand(): ServedCommand | undefined {
  return served.getStore();
}

export function cliStdout(): OutStream {
  return served.getStore()?.stdout ?? process.stdout;
}

export function cliStderr(): OutStream {
  return served.getStore()?.stderr ?? process.stderr;
}


/**
 * Writes text the CLI prints to its standard output (or, with printErr, standard error): the one way
 * command output and messages reach the terminal, escaped by terminalSafe (terminal-text.ts) so no stored
 * value can drive the terminal. Data streams (CSV exports) are written to the stream itself.
 */
export function printOut(text: string): void {
  cliStdout().write(terminalSafe(text));
}

/** printOut for standard error: errors, warnings and notes. */
export function printErr(text: string): void {
  cliStderr().write(terminalSafe(text));
}
