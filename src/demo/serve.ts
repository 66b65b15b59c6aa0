import { createServer } from 'node:net';
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
    throw cannotServe(e);
  }
}

/**
 * Fails at once, before any data is generated, when the demo's port cannot be listened on (in use, not
 * allowed, an address this machine does not have): a user error saying so. Port 0 (any free port) always
 * passes. Another program may still take the port before the server starts; startDemoServer then says so.
 */
export async function checkDemoPort(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, host, () => resolve());
    });
  } catch (e) {
    throw cannotServe(e);
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function cannotServe(e: unknown): unknown {
  const user = userErrorFromSystem(e);
  if (!user) return e;
  return new SegmintError(user.code, `The demo server cannot start: ${user.message} Or pass --no-serve.`, user.details, user.httpStatus);
}
