import { chmodSync, rmSync } from 'node:fs';
import type { InLine } from '../../privacy/regulations.js';
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { ServerStopping } from '../../domain/cancel.js';
import { SegmintError } from '../../domain/errors.js';
import type { RealtimeEngine } from '../../realtime/index.js';
import type { Store } from '../../store/db.js';
import { runServed, type OutStream, type ServedCommand } from '../context.js';
import { wantsJson } from '../errors.js';
import { reportError } from '../report-error.js';
import { terminalSafe } from '../terminal-text.js';
import { fileChannel, type FileChannel } from './files.js';
import { removeLock, socketPathFor, writeLock } from './lock.js';
import { cancellable } from './command-kind.js';
import { commandWords, describeCommand, endsByCtrlC, type CancelRequest, type FileAnswer, type ForwardReply, type ForwardRequest, type TerminalInfo } from './protocol.js';

export interface CommandHostOptions {
  readonly store: Store;
  readonly engine?: RealtimeEngine;
  /** runs work in line with the server's workflow engine (erasure: src/privacy/regulations.ts) */
  readonly inLine?: InLine;
  readonly url: string;
  /** the server's log: each command received (info), and a command failing outside the command (error) */
  readonly log?: { error(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

export interface CommandHost {
  /**
   * Stops carrying out commands: the lock file goes, no connection is taken, commands still queued are
   * answered `server_stopped` without running, a watch or `status` ends at once, and the command under
   * way is cancelled (an import rolls back and its CLI says the server stopped) or, when it cannot stop
   * part-way, waited for. What is cancelled or waited for is said through `say` (one sentence each,
   * naming the command and the PID of the CLI that sent it). Resolves once every command has answered
   * and every connection is closed; calling it again returns the same promise.
   */
  close(say?: (message: string) => void): Promise<void>;
}

/** A command received from a CLI, from its request until it has answered. */
interface Received {
  readonly request: ForwardRequest;
  readonly socket: Socket;
  readonly abort: AbortController;
  /** a watch or `status`: it runs beside the queue, only reads and never ends by itself */
  readonly alongside: boolean;
  /** set when the command starts running; settles once it has answered */
  done?: Promise<void>;
}

/**
 * Carries out CLI commands for a running server: listens on a Unix socket only this user can reach,
 * announces it in the lock file beside the database, and runs each command it receives in this
 * process, on the server's store, with the command's output routed back to the CLI that sent it. After
 * a command, the real-time engine picks up whatever it wrote (imports, scores, definitions).
 *
 * Commands run one at a time, in the CLI's working directory (so relative paths mean what they meant
 * there); `segments watch` and `status` run alongside, as they only read and never end by themselves.
 */
export async function startCommandHost(opts: CommandHostOptions): Promise<CommandHost> {
  const db = opts.store.path;
  const socketPath = socketPathFor(db);
  rmSync(socketPath, { force: true });
  const sockets = new Set<Socket>();
  /** commands running (not those waiting in the queue) */
  const running = new Set<Received>();
  let queue: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;
  const startedAt = new Date();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    let buffer = '';
    let started = false;
    const abort = new AbortController();
    // A file the command writes is the CLI's: its data goes over this socket (served/files.ts).
    const files: FileChannel = fileChannel(
      (file) => !socket.destroyed && socket.write(JSON.stringify({ file } satisfies ForwardReply) + '\n'),
      () => new Promise<void>((resolve) => {
        const done = (): void => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.once('drain', done);
        socket.once('close', done);
      }),
    );
    socket.on('close', () => {
      files.closed();
      abort.abort();
    });
    const onData = (chunk: string): void => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          socket.destroy();
          return;
        }
        // After the request, a CLI sends a cancel (its Ctrl-C) or answers about a file: protocol.ts.
        if (started) {
          if ((message as Partial<CancelRequest> | null)?.cancel === true) abort.abort();
          else if (typeof (message as Partial<FileAnswer> | null)?.file === 'object') files.answered(message as FileAnswer);
          continue;
        }
        started = true;
        const request = message as ForwardRequest;
        const received: Received = { request, socket, abort, alongside: runsAlongside(request.argv) };
        opts.log?.info(
          { command: describeCommand(request.argv), pid: request.pid, queued: !received.alongside && [...running].some((r) => !r.alongside) },
          'a command sent by the CLI',
        );
        const run = (): Promise<void> => {
          // A command whose turn comes once the server is stopping is not started: its CLI is told so.
          if (closing) return refuse(received);
          received.done = serve(request, socket, abort.signal, files).finally(() => running.delete(received));
          running.add(received);
          return received.done;
        };
        if (received.alongside) void run();
        else queue = queue.then(run, run);
      }
    };
    socket.on('data', onData);
  });

  /** The replies to one CLI over its socket: `send` (dropped once the CLI went away) and its output streams. */
  const repliesTo = (request: ForwardRequest, socket: Socket) => {
    const send = (reply: ForwardReply): void => {
      if (!socket.destroyed) socket.write(JSON.stringify(reply) + '\n');
    };
    return { send, stdout: stream((o) => send({ o }), request.stdout), stderr: stream((e) => send({ e }), request.stderr) };
  };

  const serve = async (request: ForwardRequest, socket: Socket, signal: AbortSignal, files: FileChannel): Promise<void> => {
    const { send, stdout, stderr } = repliesTo(request, socket);
    const ctx: ServedCommand = {
      stdout,
      stderr,
      store: opts.store,
      ...(opts.engine ? { engine: opts.engine } : {}),
      ...(opts.inLine ? { inLine: opts.inLine } : {}),
      signal,
      files,
      server: { pid: process.pid, url: opts.url, startedAt },
    };
    let code: number;
    try {
      code = await runCommand(request, ctx, opts.engine, runsAlongside(request.argv));
    } catch (e) {
      opts.log?.error({ err: e }, 'a command sent by the CLI failed outside the command');
      code = 1;
    }
    send({ exit: code });
    socket.end();
  };

  /** Answers a command that was not started because the server is stopping: nothing ran. */
  const refuse = async ({ request, socket }: Received): Promise<void> => {
    const { send: write, stdout, stderr } = repliesTo(request, socket);
    const ctx: ServedCommand = {
      stdout,
      stderr,
      store: opts.store,
      signal: AbortSignal.abort(new ServerStopping(process.pid)),
      server: { pid: process.pid, url: opts.url, startedAt },
    };
    const code = await runServed(ctx, async () => reportError(notStarted(process.pid), request.argv));
    write({ exit: code });
    socket.end();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  // The directory is already private; the socket is too.
  chmodSync(socketPath, 0o600);
  writeLock({ pid: process.pid, socket: socketPath, url: opts.url, startedAt: startedAt.toISOString(), db });

  const stop = async (say: (message: string) => void): Promise<void> => {
    removeLock(db);
    // No new connection; the callback comes once every connection has closed.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const waits: Promise<void>[] = [];
    for (const c of running) {
      // A watch or `status` only reads: it ends at once, and its CLI says the server went away.
      if (c.alongside) {
        c.socket.destroy();
        continue;
      }
      say(stoppingLine(c.request));
      c.abort.abort(new ServerStopping(process.pid));
      if (c.done) waits.push(c.done);
    }
    await Promise.all(waits);
    // Those queued behind are answered, in turn, that they were not started (refuse).
    await queue;
    // What is left: connections that sent no request, and CLIs that have their answer but hold the socket.
    for (const s of sockets) if (!s.writableEnded) s.destroy();
    await closed;
    rmSync(socketPath, { force: true });
  };

  return {
    close(say = () => undefined) {
      closing ??= stop(say);
      return closing;
    },
  };
}

/**
 * What a stopping server says of a command it carries out (CommandHost.close): it cancels an import,
 * which rolls back; any other command cannot stop part-way, so it waits for it, and a second Ctrl-C
 * quits without waiting. The command is named as typed (describeCommand), with the PID of its CLI when
 * the CLI sent it (ForwardRequest.pid).
 */
export function stoppingLine(request: ForwardRequest): string {
  const what = `\`${describeCommand(request.argv)}\`${Number.isSafeInteger(request.pid) ? ` (sent by PID ${request.pid})` : ''}`;
  if (cancellable(request.argv)) return `cancelling ${what}: the import is rolled back and keeps nothing of its file.`;
  return `waiting for ${what} to finish: it cannot stop part-way. Ctrl-C again to quit now; nothing it committed is lost.`;
}

/** The answer to a command queued behind others when the server began to stop. */
function notStarted(pid: number): SegmintError {
  return new SegmintError(
    'server_stopped',
    `The server (PID ${pid}) stopped before it started the command: nothing was done. Run it again: with no server on the ` +
      'database it runs here, or start `segmint serve` first.',
    { pid },
    503,
  );
}

function runsAlongside(argv: readonly string[]): boolean {
  return endsByCtrlC(argv) || commandWords(argv)[0] === 'status';
}

/** A writable that hands every chunk to `send`, and looks like the CLI's terminal (for progress bars). */
function stream(send: (text: string) => void, term: TerminalInfo): OutStream {
  const w = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _enc, cb) {
      send(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      cb();
    },
  });
  return Object.assign(w, { isTTY: term.isTTY, ...(term.columns ? { columns: term.columns } : {}) });
}

/** Runs one command as the CLI would, in its working directory; returns the exit code. */
async function runCommand(request: ForwardRequest, ctx: ServedCommand, engine: RealtimeEngine | undefined, alongside: boolean): Promise<number> {
  const before = engine && !alongside ? await engine.fingerprint() : undefined;
  const refusedBefore = new Set(engine?.refused().map((r) => `${r.segmentId}\n${r.reason}`));
  const home = process.cwd();
  let code = 0;
  try {
    if (!alongside) enter(request.cwd);
    const { buildProgram } = await import('../program.js');
    const program = buildProgram({ json: wantsJson(request.argv.slice(2)) });
    for (const c of allCommands(program)) {
      c.exitOverride();
      c.configureOutput({ writeOut: (s) => void ctx.stdout.write(s), writeErr: (s) => void ctx.stderr.write(s) });
    }
    await runServed(ctx, () => program.parseAsync([...request.argv]));
  } catch (e) {
    // A usage error or --help (commander's exits) and any failure print and exit as the CLI's own would.
    code = await runServed(ctx, async () => reportError(e, request.argv));
  } finally {
    if (!alongside) process.chdir(home);
  }
  if (engine && before) {
    // What the command wrote (an import, new scores, a definition) becomes live before the CLI returns.
    await engine.resync(before);
    for (const r of engine.refused()) {
      if (!refusedBefore.has(`${r.segmentId}\n${r.reason}`)) ctx.stderr.write(terminalSafe(`segmint: segment "${r.name}" is ${r.reason}\n`));
    }
  }
  return code;
}

function enter(dir: string): void {
  try {
    process.chdir(dir);
  } catch (e) {
    throw new SegmintError('cwd_unusable', `The command's working directory ${dir} cannot be entered by the server (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, { dir });
  }
}

function allCommands(c: Command): Command[] {
  return [c, ...c.commands.flatMap(allCommands)];
}
