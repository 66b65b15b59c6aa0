import { SegmintError } from '../domain/errors.js';
import { userErrorFromSystem } from '../domain/system-errors.js';
import type { Store } from '../store/db.js';
import type { RunningServer } from '../server/app.js';

/**
 * Starts the HTTP server on the demo's store. The server module is loaded only here, so
 * `segmint demo --no-serve` never pulls in the HTTP stack.
 */
export async function startDemoServer(store: Store, port: number, host: string): Promise<RunningServer> {
  const { startServer } = await import('../server/app.js');
  try {
    return await startServer({ store, port, host });
  } catch (e) {
    const user = userErrorFromSystem(e);
    if (user) {
      throw new SegmintError(user.code, `The demo data is loaded, but the server cannot start: ${user.message} Or pass --no-serve.`, user.details, user.httpStatus);
    }
    throw e;
  }
}
