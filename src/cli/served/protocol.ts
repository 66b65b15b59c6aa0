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
}

/** The line a CLI sends after its request to cancel the command. */
export interface CancelRequest {
  readonly cancel: true;
}

export interface TerminalInfo {
  readonly isTTY: boolean;
  readonly columns?: number;
}

export type ForwardReply = { readonly o: string } | { readonly e: string } | { readonly exit: number };

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
