import { Command } from 'commander';
import { registerAllFields } from '../fields.js';
import { commandModules } from './commands/index.js';

export function buildProgram(): Command {
  registerAllFields();
  const program = new Command('segmint')
    .description(
      'Self-hosted customer segmentation: unify orders and events into one profile per customer, ' +
        'describe, predict and segment them.',
    )
    .option('--db <path>', 'database file (default: $SEGMINT_DB or ./segmint.duckdb)')
    .showHelpAfterError();
  for (const register of commandModules) register(program);
  return program;
}
