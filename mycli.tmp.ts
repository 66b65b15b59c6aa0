import { Command } from 'commander';
import { isSegmintError } from './src/domain/errors.js';
import { register as p } from './src/cli/commands/propensity.js';
import { register as r } from './src/cli/commands/recommend.js';
import { registerExplain } from './src/cli/commands/explain.js';
const program = new Command('segmint').option('--db <path>');
p(program); r(program); registerExplain(program.command('customers'));
try { await program.parseAsync(process.argv); } catch (e) { if (isSegmintError(e)) { console.error('segmint: ' + e.message); process.exitCode = 2; } else throw e; }
