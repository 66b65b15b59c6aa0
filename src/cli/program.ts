import { Command } from 'commander';
import { checkDatabasePath } from '../domain/system-errors.js';
import { registerAllFields } from '../fields.js';
import { resolveDbPath } from '../store/paths.js';
import { commandModules } from './commands/index.js';

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
    if (given) checkDatabasePath(resolveDbPath(given));
  });
  for (const register of commandModules) register(program);
  return program;
}
