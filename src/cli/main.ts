import { renderError, wantsJson } from './errors.js';
import { buildProgram } from './program.js';

const json = wantsJson(process.argv.slice(2));
const debug = process.env.SEGMINT_DEBUG === '1';

/** Prints a failure the one way renderError decides, and sets the exit code. */
function fail(e: unknown): void {
  const { stderr, exitCode } = renderError(e, { json, debug });
  if (stderr) process.stderr.write(stderr);
  process.exitCode = exitCode;
}

// Errors raised outside the awaited command (a stream's 'error' event, a socket) end here; a closed
// stdout (`segmint ... | head`) is the reader's choice, not a failure.
process.on('uncaughtException', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  fail(e);
  process.exit(process.exitCode ?? 1);
});
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

try {
  await buildProgram({ json }).parseAsync(process.argv);
} catch (e) {
  fail(e);
}
