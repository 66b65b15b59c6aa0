import { SegmintError } from '../domain/errors.js';
import type { Store } from '../store/db.js';

interface ServerModule {
  startServer(options: { store: Store; port: number; host: string }): Promise<{ url: string; close(): Promise<void> }>;
}

// Loaded only when the demo serves, so `segmint demo --no-serve` never pulls in the HTTP stack.
const SERVER_MODULE = '../server/app.js';

/** Starts the HTTP server on the demo's store. */
export async function startDemoServer(store: Store, port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
  let mod: ServerModule;
  try {
    mod = (await import(SERVER_MODULE)) as ServerModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    // Only the server module itself missing means "no server"; anything else is a real failure.
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((e as Error).message).includes('server/app')) throw e;
    throw new SegmintError('demo_server_unavailable', 'The demo data is loaded, but this build has no HTTP server: rerun with --no-serve.', {}, 500);
  }
  try {
    return await mod.startServer({ store, port, host });
  } catch (e) {
    if ((e as { code?: string }).code === 'EADDRINUSE') {
      throw new SegmintError('demo_port_in_use', `The demo data is loaded, but port ${port} on ${host} is in use: pass another --port (0 picks a free one), or --no-serve.`, { port, host }, 409);
    }
    throw e;
  }
}
