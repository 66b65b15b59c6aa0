import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { HttpLimits } from './limits.js';

interface Tracked {
  readonly address: string;
  /** requests of this connection being handled (body received, answer not yet sent) */
  busy: number;
  /** requests of this connection answered so far */
  served: number;
}

/**
 * Bounds the connections the server keeps open: at most `maxConnections` in all and
 * `maxConnectionsPerAddress` from one peer. A new connection over a bound takes the place of the oldest
 * connection (from that address, or from anyone for the total) that has no request being handled:
 * one still sending its headers or body, or idle between requests. So clients that open connections
 * and stall cannot keep a new client out; they are the ones that go. When every connection is handling
 * a request, the new one is closed instead.
 *
 * Request and header timeouts (Node's http server) close stalled connections on their own after a while;
 * this class decides what happens before then.
 */
export class ConnectionGuard {
  private readonly open = new Map<Socket, Tracked>();
  private readonly byAddress = new Map<string, Set<Socket>>();
  /** connections closed to make room, and new ones refused (for tests and logs) */
  evicted = 0;
  refused = 0;

  constructor(private readonly limits: Pick<HttpLimits, 'maxConnections' | 'maxConnectionsPerAddress' | 'idleTimeoutMs'>) {}

  /** Watches a server's connections, and marks which are handling a request through the app's hooks. */
  install(app: FastifyInstance): void {
    const server: Server = app.server;
    server.on('connection', (socket: Socket) => this.admit(socket));
    app.addHook('preHandler', async (req) => {
      const socket = req.raw.socket;
      const t = this.open.get(socket);
      if (!t) return;
      t.busy++;
      // The idle timeout is for clients that stall; while the server works on the answer (a commit
      // waiting its turn) the silence is the server's, so the timeout waits until the answer is sent.
      socket.setTimeout(0);
      req.raw.once('close', () => {
        t.busy = Math.max(0, t.busy - 1);
        t.served++;
        if (t.busy === 0 && !socket.destroyed) socket.setTimeout(this.limits.idleTimeoutMs);
      });
    });
  }

  /** Open connections now, in all and from one address. */
  count(address?: string): number {
    return address === undefined ? this.open.size : (this.byAddress.get(address)?.size ?? 0);
  }

  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const mine = this.byAddress.get(address);
    if (mine && mine.size >= this.limits.maxConnectionsPerAddress && !this.evictOldest(mine)) return this.refuse(socket);
    if (this.open.size >= this.limits.maxConnections && !this.evictOldest(this.open.keys())) return this.refuse(socket);
    this.open.set(socket, { address, busy: 0, served: 0 });
    const set = mine ?? new Set<Socket>();
    set.add(socket);
    this.byAddress.set(address, set);
    socket.once('close', () => {
      this.open.delete(socket);
      set.delete(socket);
      if (set.size === 0 && this.byAddress.get(address) === set) this.byAddress.delete(address);
    });
  }

  /**
   * Closes the oldest of these connections that handles no request, preferring one that never got a
   * request through (a client that stalls) to an idle keep-alive one (a client that may reuse it); false
   * when all are busy.
   */
  private evictOldest(sockets: Iterable<Socket>): boolean {
    const list = [...sockets];
    for (const neverServed of [true, false]) {
      for (const s of list) {
        const t = this.open.get(s);
        if (t && t.busy === 0 && (t.served === 0) === neverServed) {
          this.forget(s, t);
          s.destroy();
          this.evicted++;
          return true;
        }
      }
    }
    return false;
  }

  private forget(socket: Socket, t: Tracked): void {
    this.open.delete(socket);
    const set = this.byAddress.get(t.address);
    set?.delete(socket);
    if (set && set.size === 0) this.byAddress.delete(t.address);
  }

  private refuse(socket: Socket): void {
    this.refused++;
    socket.destroy();
  }
}
