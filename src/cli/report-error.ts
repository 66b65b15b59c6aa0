import { isSegmintError } from '../domain/errors.js';
import { cliStderr } from './context.js';

/**
 * Prints what went wrong the way the CLI does (to the command's stderr, which for a command served by
 * `segmint serve` is the CLI's) and returns the exit code: 2 for a user error, 1 for a bug.
 */
export function reportError(e: unknown): number {
  const err = cliStderr();
  if (isSegmintError(e)) {
    err.write(`segmint: ${e.message}\n`);
    return 2;
  }
  // Not a user error: a bug. Show everything needed to report it.
  err.write(`segmint: internal error\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
}
