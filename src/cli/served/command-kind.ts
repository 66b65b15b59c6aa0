import { commandWords } from './protocol.js';

/**
 * What a command forwarded to a server does to the database, for what the CLI says when that server goes
 * away before answering (client.ts, serverWentAway):
 *   - `watch`: `segments watch`, which streams until Ctrl-C and cannot run without a server;
 *   - `read`: a command that only reads the database (nothing to roll back);
 *   - `write`: anything else (it may have been writing; the default, so a command missing from the list
 *     below gets the careful wording, never a wrong "nothing changed").
 */
export type CommandKind = 'watch' | 'read' | 'write';

// Command words (commandWords) of commands that only read the database and write no file.
const READS: readonly (readonly string[])[] = [
  ['status'],
  ['imports'],
  ['segments', 'list'],
  ['segments', 'show'],
  ['segments', 'members'],
  ['segments', 'history'],
  ['segments', 'preview'],
  ['segments', 'explain'],
  ['segments', 'fields'],
  ['webhooks', 'list'],
  ['webhooks', 'deliveries'],
];

/** The kind of the command in process.argv-shaped `argv` (see CommandKind). */
export function commandKind(argv: readonly string[]): CommandKind {
  const words = commandWords(argv);
  if (words[0] === 'segments' && words[1] === 'watch') return 'watch';
  return READS.some((r) => r.every((w, i) => words[i] === w)) ? 'read' : 'write';
}

/**
 * Whether the command in `argv` stops part-way when its signal fires (ServedCommand.signal): `import`,
 * which rolls back. Every other command finishes what it began; a stopping server waits for it.
 */
export function cancellable(argv: readonly string[]): boolean {
  return commandWords(argv)[0] === 'import';
}
