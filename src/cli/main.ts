import { wantsJson } from './errors.js';
import { buildProgram } from './program.js';
import { reportError } from './report-error.js';
import { forwardToServer, splitDb } from './served/client.js';
import { packageVersion } from '../version.js';
import { asksVersion } from './version.js';

const json = wantsJson(process.argv.slice(2));

// Errors raised outside the awaited command (a stream's 'error' event, a socket) end here; a closed
// stdout (`segmint ... | head`) is the reader's choice, not a failure.
process.on('uncaughtException', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.exit(reportError(e, process.argv));
});
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

if (asksVersion(process.argv)) process.stdout.write(json ? `${JSON.stringify({ version: packageVersion() })}\n` : `${packageVersion()}\n`);
// While `segmint serve` holds the database, the server carries the command out (same output, same exit code).
else if (!(await forwardToServer(process.argv))) {
  try {
    // `segmint help [command] --json`: help is text whatever the flag (every command takes --json), not an
    // unknown option of `help`.
    const argv = splitDb(process.argv.slice(2)).rest[0] === 'help' ? process.argv.filter((a) => a !== '--json') : process.argv;
    await buildProgram({ json }).parseAsync(argv);
  } catch (e) {
    process.exitCode = reportError(e, process.argv);
  }
}
