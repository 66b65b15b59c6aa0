import { splitDb } from './served/client.js';

/**
 * Whether the line asks only for the version: `segmint --version` or `segmint -V` (a `--db` beside it
 * is ignored). Checked before commander parses: a root option `--version` would be recognised after a
 * subcommand too, where `workflows show NAME --version N` means a workflow's version.
 */
export function asksVersion(argv: readonly string[]): boolean {
  // --json beside it (every command takes it) asks for the version as JSON: `{"version":"…"}`.
  const rest = splitDb(argv.slice(2)).rest.filter((a) => a !== '--json');
  return rest.length === 1 && (rest[0] === '--version' || rest[0] === '-V');
}
