import { CommanderError } from 'commander';
import { userErrorFromSystem } from '../domain/system-errors.js';

/** Exit codes of the segmint command (docs/cli.md). */
export const EXIT = { ok: 0, internal: 1, user: 2, interrupted: 130 } as const;

/** What the command prints on stderr for a failure, and the exit code. */
export interface RenderedError {
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * The one place a failure of the CLI becomes output, so every command fails the same way:
 * - a user error (SegmintError, or a system error a user can cause: a missing folder, a permission, a
 *   full disk, a port in use) prints `segmint: <message>` (segment diagnostics keep their lines, caret
 *   and hint) and exits 2, or 130 for `interrupted` (a Ctrl-C the command stopped at, as a shell reports one);
 * - a usage error found by the argument parser exits 2 (the parser has printed it already, unless --json);
 * - anything else is a bug: one line naming it and how to see the stack (SEGMINT_DEBUG=1), exit 1.
 * With --json the same goes to stderr as one JSON object `{ "error": code, "message": ..., "details"?: ... }`,
 * the shape the HTTP API answers errors with.
 */
export function renderError(e: unknown, opts: { json: boolean; debug?: boolean }): RenderedError {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) return { stderr: '', exitCode: EXIT.ok };
    const message = e.message.replace(/^error:\s*/i, '');
    return {
      stderr: opts.json ? jsonLine({ error: 'usage', message: sentence(message), details: { parser: e.code } }) : '',
      exitCode: EXIT.user,
    };
  }
  const user = userErrorFromSystem(e);
  if (user) {
    return {
      stderr: opts.json
        ? jsonLine({ error: user.code, message: user.message, ...(user.details ? { details: user.details } : {}) })
        : `segmint: ${user.message}\n`,
      exitCode: user.code === 'interrupted' ? EXIT.interrupted : EXIT.user,
    };
  }
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const stack = opts.debug && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  const message = `internal error (a bug in segmint): ${firstLine(what)}. Run again with SEGMINT_DEBUG=1 to see where it happened, and report it.`;
  return {
    stderr: opts.json ? jsonLine({ error: 'internal', message, ...(stack ? { details: { stack: stack.trim() } } : {}) }) : `segmint: ${message}${stack}\n`,
    exitCode: EXIT.internal,
  };
}

/** Whether the command line asks for JSON output (`--json` before any `--`). */
export function wantsJson(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--json') return true;
  }
  return false;
}

function jsonLine(v: unknown): string {
  return JSON.stringify(v) + '\n';
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line.replace(/[.\s]+$/, '');
}

function sentence(s: string): string {
  const t = s.trim();
  return t.endsWith('.') ? t : `${t}.`;
}
