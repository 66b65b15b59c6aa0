import { SegmintError } from '../domain/errors.js';
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
    if ((e as { code?: string }).code === 'EADDRINUSE') {
      throw new SegmintError(
        'demo_port_in_use',
        `The demo data is loaded, but port ${port} on ${host} is in use: pass another --port (0 picks a free one), or --no-serve.`,
        { port, host },
        409,
      );
    }
    throw e;
  }
}
