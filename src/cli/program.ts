import { Command } from 'commander';
import { registerAllFields } from '../fields.js';
import { checkDatabasePath } from '../store/open-checks.js';
import { resolveDbPath } from '../store/paths.js';
import { commandModules } from './commands/index.js';
import { servedCommand } from './context.js';

/**
 * The `segmint` command with every subcommand. Parse errors throw (exitOverride) so main.ts reports
 * every failure one way; with `json` the parser prints nothing itself and main.ts writes the JSON error.
 */
export function buildProgram(opts: { json?: boolean } = {}): Command {
  registerAllFields();
  const program = new Command('segmint')
    .description(
      'Self-hosted customer segmentation: unify orders and events into one profile per customer, ' +
        'describe, predict and segment them.',
    )
    .option('--db <path>', 'database file (default: $SEGMINT_DB or ./segmint.duckdb)')
    .exitOverride();
  if (opts.json) program.configureOutput({ outputError: () => undefined });
  else program.showHelpAfterError('(add --help for usage)');
  // A database path named by the user is checked before any work: a missing folder or a permission
  // problem is one sentence, not the database engine's message after the command started.
  program.hook('preAction', () => {
    const given = program.opts<{ db?: string }>().db ?? process.env.SEGMINT_DB;
    // create: whether this command may create the file is decided when it opens the store. Not in a
    // command served by `segmint serve`: the server holds the file, and opening and closing it here
    // would drop the server's lock on it (POSIX record locks belong to the process, not to the handle).
    if (given && !servedCommand()) checkDatabasePath(resolveDbPath(given), true);
  });
  for (const register of commandModules) register(program);
  return program;
}
