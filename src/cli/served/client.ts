import { connect } from 'node:net';
import { dbFilePath, resolveDbPath } from '../../store/paths.js';
import { SegmintError } from '../../domain/errors.js';
import { EXIT, renderError, wantsJson } from '../errors.js';
import { CliFiles } from './files.js';
import { readLock } from './lock.js';
import { commandKind } from './command-kind.js';
import { commandWords, endsByCtrlC, type CancelRequest, type ForwardReply, type ForwardRequest } from './protocol.js';

/** `--db X` / `--db=X` taken out of the arguments. */
export function splitDb(args: readonly string[]): { db?: string; rest: string[] } {
  const rest: string[] = [];
  let db: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (a === '--db' && i + 1 < args.length) db = args[++i];
    else if (a.startsWith('--db=')) db = a.slice(5);
    else rest.push(a);
  }
  return { ...(db !== undefined ? { db } : {}), rest };
}

/** Commands that are a server themselves: they say the database is served instead of being sent there. */
function startsAServer(rest: readonly string[]): boolean {
  const command = rest.find((a) => !a.startsWith('-'));
  return command === 'serve' || (command === 'demo' && !rest.includes('--no-serve'));
}

/**
 * When a live `segmint serve` holds the command's database (its lock file names a socket that
 * answers), sends the command there, prints what it prints, sets its exit code, and returns true.
 * Returns false when the command should run here: no server, a stale lock (the server died), or a
 * command that starts a server.
 */
export async function forwardToServer(argv: readonly string[]): Promise<boolean> {
  const { db, rest } = splitDb(argv.slice(2));
  const path = resolveDbPath(db);
  if (path === ':memory:' || path === '') return false;
  // The file as the system finds it (trial 12, L4): resolve would read `link/../db` lexically.
  const absolute = dbFilePath(path);
  const lock = readLock(absolute);
  if (!lock || startsAServer(rest)) return false;
  const request: ForwardRequest = {
    argv: [...argv.slice(0, 2), '--db', absolute, ...rest],
    cwd: process.cwd(),
    stdout: { isTTY: process.stdout.isTTY === true, ...(process.stdout.columns ? { columns: process.stdout.columns } : {}) },
    stderr: { isTTY: process.stderr.isTTY === true, ...(process.stderr.columns ? { columns: process.stderr.columns } : {}) },
    pid: process.pid,
  };
  return new Promise<boolean>((done) => {
    const socket = connect(lock.socket);
    let connected = false;
    let exit: number | undefined;
    let buffer = '';
    // A file the command writes (--out) is written here, by this process (served/files.ts).
    const files = new CliFiles();
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(JSON.stringify(request) + '\n');
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;
        const reply = JSON.parse(line) as ForwardReply;
        if ('o' in reply) process.stdout.write(reply.o);
        else if ('e' in reply) process.stderr.write(reply.e);
        else if ('file' in reply) {
          const answer = files.handle(reply.file);
          if (answer && !socket.destroyed) socket.write(JSON.stringify(answer) + '\n');
        } else exit = reply.exit;
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // No server behind the lock (it was killed): the command runs here, on the free database.
      if (!connected) return done(false);
      process.stderr.write(`segmint: lost the connection to the server (PID ${lock.pid}): ${e.message}\n`);
    });
    // Ctrl-C: the first asks the server to cancel the command and waits for its answer (an import rolls
    // back and exits 130); the second stops waiting, and the server carries on what it could not stop.
    let interrupts = 0;
    const onInterrupt = (): void => {
      interrupts++;
      if (interrupts === 1 && connected && !socket.destroyed) {
        // A watch ends at Ctrl-C by design: it stops at once (exit 130) with nothing to cancel or roll back.
        if (endsByCtrlC(request.argv)) {
          socket.write(JSON.stringify({ cancel: true } satisfies CancelRequest) + '\n');
          return;
        }
        process.stderr.write(
          `segmint: Ctrl-C: asking the server (PID ${lock.pid}) to cancel the command. An import is rolled back; ` +
            'a command that cannot stop part-way finishes first. Press Ctrl-C again to stop waiting.\n',
        );
        socket.write(JSON.stringify({ cancel: true } satisfies CancelRequest) + '\n');
        return;
      }
      // Before the connection the request was never sent: nothing runs on the server.
      if (connected) {
        process.stderr.write(
          `segmint: stopped waiting; the server (PID ${lock.pid}) may still finish the command. ` +
            '`segmint imports` lists the imports it finished.\n',
        );
      }
      socket.destroy();
      process.exit(130);
    };
    process.on('SIGINT', onInterrupt);
    socket.on('close', () => {
      process.off('SIGINT', onInterrupt);
      files.discard();
      if (!connected) return;
      if (interrupts > 0 && exit === 0) process.stderr.write(`segmint: the server finished the command before it could be cancelled.\n`);
      if (exit === undefined) {
        // Not a bug in segmint (exit 1) but the system: the server was stopped, killed or crashed (exit 2, docs/cli.md).
        process.stderr.write(renderError(serverWentAway(lock.pid, request.argv), { json: wantsJson(request.argv) }).stderr);
        exit = EXIT.user;
      }
      process.exitCode = exit;
      done(true);
    });
  });
}

/**
 * What the CLI says when the server carrying out its command goes away before answering (killed,
 * crashed, stopped by its machine). An error (`server_gone`, exit 2), printed as every error is: a
 * sentence, or one JSON object with --json. What follows depends on the command (commandKind):
 *   - a watch: it wrote nothing and needs a server; start one and watch again, with `--after` and the
 *     last cursor printed to see every change recorded in between (segments-watch.ts);
 *   - a command that only reads: nothing changed; run it again (here, with no server left on the database);
 *   - any other: its end is unknown, what it wrote in one transaction was rolled back (an import keeps
 *     nothing of its file), and running it again is safe, here with no server left on the database.
 */
export function serverWentAway(pid: number, argv: readonly string[] = []): SegmintError {
  const kind = commandKind(argv);
  const gone = `the server (PID ${pid})`;
  if (kind === 'watch') {
    const word = commandWords(argv)[2] ?? 'NAME';
    // pasted into a shell as it is: a name with other characters goes in single quotes
    const name = /^[\w.-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
    return new SegmintError(
      'server_gone',
      `${gone} stopped while the watch was running: it was stopped, killed or crashed. A watch writes nothing, and segments ` +
        `change only while a server runs. Start \`segmint serve\` again, then run \`segmint segments watch ${name} --after CURSOR\` ` +
        'with the last cursor printed above, to see every change recorded since.',
      { pid, command: 'segments watch' },
    );
  }
  if (kind === 'read') {
    return new SegmintError(
      'server_gone',
      `${gone} went away before the command finished: it was stopped, killed or crashed. The command only reads, so nothing ` +
        'changed. Run it again: with no server on the database it runs here, or start `segmint serve` first.',
      { pid },
    );
  }
  return new SegmintError(
    'server_gone',
    `${gone} went away before the command finished: it was stopped, killed or crashed. ` +
      'What the command was writing in one transaction was rolled back (an import keeps nothing of its file; ' +
      '`segmint imports` lists the imports that finished). Run the command again: with no server on the database ' +
      'it runs here, or start `segmint serve` first.',
    { pid },
  );
}
