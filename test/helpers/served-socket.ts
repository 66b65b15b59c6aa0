import { connect } from 'node:net';
import { readLock } from '../../src/cli/served/lock.js';
import type { ForwardReply, ForwardRequest } from '../../src/cli/served/protocol.js';

/** What a command sent over a server's socket got back: its output, exit code and the file operations asked for. */
export interface ServedReplies {
  exit?: number;
  stdout: string;
  stderr: string;
  /** the `op` of each file operation the server asked the CLI for */
  files: string[];
}

/**
 * Sends one command to the server holding `db` over its socket, as the CLI sends it (served/protocol.ts),
 * from `cwd`; with `cancel`, the cancel line (the CLI's Ctrl-C) right after the request. Returns what came
 * back so far (filled in as replies arrive), a promise of the socket's close, and `answer` to reply to the
 * server's file operations as the CLI does. Throws when no server holds the file.
 */
export function sendServed(db: string, cwd: string, args: readonly string[], options: { cancel?: boolean } = {}): { got: ServedReplies; closed: Promise<void>; answer(line: object): void } {
  const lock = readLock(db);
  if (!lock) throw new Error(`no server holds ${db}`);
  const request: ForwardRequest = { argv: ['node', 'segmint', '--db', db, ...args], cwd, stdout: { isTTY: false }, stderr: { isTTY: false }, pid: process.pid };
  const got: ServedReplies = { stdout: '', stderr: '', files: [] };
  const socket = connect(lock.socket);
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('connect', () => socket.write(JSON.stringify(request) + '\n' + (options.cancel ? JSON.stringify({ cancel: true }) + '\n' : '')));
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const reply = JSON.parse(buffer.slice(0, nl)) as ForwardReply;
      buffer = buffer.slice(nl + 1);
      if ('o' in reply) got.stdout += reply.o;
      else if ('e' in reply) got.stderr += reply.e;
      else if ('file' in reply) got.files.push(reply.file.op);
      else if ('exit' in reply) got.exit = reply.exit;
    }
  });
  // A socket error (the server stopped) is followed by 'close': what came back so far is the answer.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { got, closed, answer: (line) => socket.write(JSON.stringify(line) + '\n') };
}
