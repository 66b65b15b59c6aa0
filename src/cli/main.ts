import { isSegmintError } from '../domain/errors.js';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  if (isSegmintError(e)) {
    process.stderr.write(`segmint: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    // Not a user error: a bug. Show everything needed to report it.
    process.stderr.write(`segmint: internal error\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
