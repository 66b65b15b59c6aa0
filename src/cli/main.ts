import { buildProgram } from './program.js';
import { reportError } from './report-error.js';
import { forwardToServer } from './served/client.js';

// While `segmint serve` holds the database, the server carries the command out (same output, same exit code).
if (!(await forwardToServer(process.argv))) {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (e) {
    process.exitCode = reportError(e);
  }
}
