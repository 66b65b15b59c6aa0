import { chmodSync, rmSync } from 'node:fs';
import type { InLine } from '../../privacy/regulations.js';
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import type { RealtimeEngine } from '../../realtime/index.js';
import type { Store } from '../../store/db.js';
import { runServed, type OutStream, type ServedCommand } from '../context.js';
import { wantsJson } from '../errors.js';
import { reportError } from '../report-error.js';
import { terminalSafe } from '../terminal-text.js';
import { fileChannel, type FileChannel } from './files.js';
import { removeLock, socketPathFor, writeLock } from './lock.js';
import { commandWords, endsByCtrlC, type CancelRequest, type FileAnswer, type ForwardReply, type ForwardRequest, type TerminalInfo } from './protocol.js';

export interface CommandHostOptions {
  readonly store: Store;
  readonly engine?: RealtimeEngine;
  /** runs work in line with the server's workflow engine (erasure: src/privacy/regulations.ts) */
  readonly inLine?: InLine;
  readonly url: string;
  readonly log?: { error(obj: object, msg?: string): void };
}

export interface CommandHost {
  close(): Promise<void>;
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
  let queue: Promise<unknown> = Promise.resolve();
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
        const run = (): Promise<void> => serve(request, socket, abort.signal, files);
        if (runsAlongside(request.argv)) void run();
        else queue = queue.then(run, run);
      }
    };
    socket.on('data', onData);
  });

  const serve = async (request: ForwardRequest, socket: Socket, signal: AbortSignal, files: FileChannel): Promise<void> => {
    const send = (reply: ForwardReply): void => {
      if (!socket.destroyed) socket.write(JSON.stringify(reply) + '\n');
    };
    const ctx: ServedCommand = {
      stdout: stream((o) => send({ o }), request.stdout),
      stderr: stream((e) => send({ e }), request.stderr),
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  // The directory is already private; the socket is too.
  chmodSync(socketPath, 0o600);
  writeLock({ pid: process.pid, socket: socketPath, url: opts.url, startedAt: startedAt.toISOString(), db });

  return {
    async close() {
      removeLock(db);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(socketPath, { force: true });
    },
  };
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
