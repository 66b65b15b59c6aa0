import { terminalSafe } from '../terminal-text.js';

/**
 * What a CLI and the server it forwards a command to say over the server's Unix socket: one JSON
 * object per line. The CLI sends one request; the server answers with output chunks and, last, the
 * exit code. The CLI may send one more line, `{"cancel":true}` (its first Ctrl-C), and keeps reading: the
 * command's signal fires, a command that watches it (an import) stops and rolls back, and the exit code
 * still comes. The CLI closing the socket (a second Ctrl-C) aborts the command too.
 */
export interface ForwardRequest {
  /** process.argv as the CLI got it, with `--db <absolute path>` in front of the arguments */
  readonly argv: readonly string[];
  /** the CLI's working directory: relative paths in arguments mean what they meant there */
  readonly cwd: string;
  readonly stdout: TerminalInfo;
  readonly stderr: TerminalInfo;
  /** the CLI's process id, which a stopping server names when it waits for the command (served/host.ts) */
  readonly pid?: number;
}

/** The line a CLI sends after its request to cancel the command. */
export interface CancelRequest {
  readonly cancel: true;
}

export interface TerminalInfo {
  readonly isTTY: boolean;
  readonly columns?: number;
}

export type ForwardReply = { readonly o: string } | { readonly e: string } | { readonly file: FileOp } | { readonly exit: number };

/**
 * A file the command writes (--out FILE) is written by the CLI, as the CLI's user, at the CLI's path:
 * the server asks it to `open` the file (the CLI checks and opens it as it would without a server,
 * out/file-target.ts), sends the data in `write`s, and ends with `close` (the CLI puts the file in
 * place) or `abort` (the CLI removes what it wrote). The CLI answers `open` and `close` with a
 * FileAnswer line; a CLI that goes away discards the file.
 */
export type FileOp =
  | {
      readonly op: 'open';
      readonly path: string;
      readonly force?: boolean;
      readonly mode?: number;
      readonly what?: string;
      readonly forceOption?: string;
      readonly protect?: readonly { readonly path: string; readonly what: string }[];
    }
  | { readonly op: 'write'; readonly chunk: string }
  | { readonly op: 'close' }
  | { readonly op: 'abort' };

/** The CLI's answer to a FileOp `open` or `close`: done, or the error it met (a SegmintError's fields). */
export interface FileAnswer {
  readonly file: { readonly ok: true } | { readonly error: { readonly code: string; readonly message: string; readonly details?: Readonly<Record<string, unknown>>; readonly status: number } };
}

/**
 * The command's words (its name and positional arguments) from process.argv, without options or the
 * value of --db: `['segments', 'watch', 'vip']`.
 */
export function commandWords(argv: readonly string[]): string[] {
  return argv.slice(2).filter((a, i, all) => !a.startsWith('-') && all[i - 1] !== '--db');
}

/** `segments watch`: it prints until Ctrl-C, so Ctrl-C is its normal end (exit 130, no cancel notice). */
export function endsByCtrlC(argv: readonly string[]): boolean {
  const words = commandWords(argv);
  return words[0] === 'segments' && words[1] === 'watch';
}

/** The longest command describeCommand shows whole; a longer one is cut, with `…`. */
const SHOWN_COMMAND = 160;

/**
 * The command in process.argv-shaped `argv` as a person would type it, without `--db` and its value (the
 * server serves one database): `segmint import orders.csv --format shopify-orders`. An argument with
 * spaces or quotes is in single quotes; control characters are shown escaped (terminalSafe); past
 * SHOWN_COMMAND characters it is cut.
 */
export function describeCommand(argv: readonly string[]): string {
  const args: string[] = [];
  const rest = argv.slice(2);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--db') i++;
    else if (!a.startsWith('--db=')) args.push(/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  }
  const text = terminalSafe(['segmint', ...args].join(' '));
  return text.length > SHOWN_COMMAND ? `${text.slice(0, SHOWN_COMMAND - 1)}…` : text;
}
