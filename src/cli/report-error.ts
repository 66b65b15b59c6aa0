import { renderError, wantsJson } from './errors.js';
import { printErr } from './served/current.js';

/**
 * Prints what went wrong the one way renderError decides (errors.ts), to the command's stderr, which for a
 * command served by `segmint serve` is the CLI's, escaped for the terminal (a message may quote a stored
 * value: terminal-text.ts); returns the exit code (0 ok, 1 a bug, 2 a user error).
 * `argv` is the command line as process.argv gives it: `--json` in it makes the error one JSON line.
 */
export function reportError(e: unknown, argv: readonly string[]): number {
  const { stderr, exitCode } = renderError(e, { json: wantsJson(argv.slice(2)), debug: process.env.SEGMINT_DEBUG === '1' });
  if (stderr) printErr(stderr);
  return exitCode;
}
