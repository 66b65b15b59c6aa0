import { Command, Help } from 'commander';
import { checkDatabasePath } from '../store/open-checks.js';
import { resolveDbPath } from '../store/paths.js';
import { commandModules, type LazyCommand } from './commands/index.js';
import { refuseEmptyOptions } from './empty-options.js';
import { withImportHint } from './import-hint.js';
import { servedCommand } from './served/current.js';
import { terminalSafe } from './terminal-text.js';

/**
 * The `segmint` program. Each command group starts as a placeholder carrying only its help line, so
 * `segmint --help` imports no command module, no DuckDB and no HTTP server. When commander dispatches to
 * a group (`segmint clv fit ...`, `segmint clv --help`, `segmint help clv`), a preSubcommand hook
 * imports that group's module and lets it declare its options, subcommands and actions on the
 * placeholder itself, before commander parses the rest of the line: parsing, help and errors are
 * commander's own, exactly as if every module had been registered at start.
 *
 * Parse errors throw (exitOverride) so main.ts reports every failure one way; with `json` the parser
 * prints nothing itself and main.ts writes the JSON error.
 */
export function buildProgram(opts: { json?: boolean } = {}): Command {
  const program = new Command('segmint')
    .description(
      'Self-hosted customer segmentation: unify orders and events into one profile per customer, ' +
        'describe, predict and segment them.',
    )
    .option('--db <path>', 'database file (default: $SEGMINT_DB or ./segmint.duckdb)')
    .exitOverride();
  if (opts.json) program.configureOutput({ outputError: () => undefined });
  else {
    // Every failure reads `segmint: …` (docs/cli.md), commander's own usage errors included.
    // Escaped as all output is (terminal-text.ts): a usage error quotes the arguments given.
    program.configureOutput({ outputError: (text, write) => write(terminalSafe(text.replace(/^error: /, 'segmint: '))) });
    program.showHelpAfterError('(add --help for usage)');
  }
  // Handled in main.ts before parsing (see version.ts), so listed here by hand.
  program.addHelpText('after', '\nsegmint --version prints the version of segmint.');
  // An option given "" is refused, naming it (empty-options.ts). A database path named by the user is
  // checked before any work: a missing folder or a permission problem is one sentence, not the database
  // engine's message after the command started.
  program.hook('preAction', async (_root, action) => {
    refuseEmptyOptions(action);
    const given = program.opts<{ db?: string }>().db ?? process.env.SEGMINT_DB;
    // create: whether this command may create the file is decided when it opens the store. Not in a
    // command served by `segmint serve`: the server holds the file, and opening and closing it here
    // would drop the server's lock on it (POSIX record locks belong to the process, not to the handle).
    if (!given || servedCommand()) return;
    try {
      checkDatabasePath(resolveDbPath(given), true);
    } catch (e) {
      // A data file given as the database: say which import command loads it.
      throw await withImportHint(e);
    }
  });
  const pending = new Map<Command, LazyCommand>();
  // Placeholders show their recorded term (`recommend [options] [customer_id]`) until they are loaded.
  program.configureHelp({
    subcommandTerm(cmd: Command): string {
      const lazy = pending.get(cmd);
      return lazy ? lazy.term : Help.prototype.subcommandTerm.call(this, cmd);
    },
  });
  for (const entry of commandModules) pending.set(program.command(entry.name).description(entry.description), entry);

  /** Imports a placeholder's module and lets it declare the command on the placeholder (once). */
  const load = async (placeholder: Command): Promise<void> => {
    const entry = pending.get(placeholder);
    if (!entry) return;
    const [{ registerAllFields }, module] = await Promise.all([import('../fields.js'), entry.load()]);
    // Segment definitions may name analytics and prediction fields (rfm.*, clv.*, ...) in any command.
    registerAllFields();
    module.register(hostFor(program, placeholder, entry.name));
    pending.delete(placeholder);
    // commander saved the placeholder's (empty) option state before the hook; save it again with the defaults.
    placeholder.saveStateBeforeParse();
  };
  program.hook('preSubcommand', (_root, placeholder) => load(placeholder));

  // commander's own `help <command>` prints a subcommand's help without dispatching to it, so without the
  // hook; this one, listed and worded as commander's, loads the group first. Its presence turns the built-in off.
  program
    .command('help')
    .argument('[command]')
    .description('display help for command')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (name: string | undefined) => {
      if (name === undefined) program.help();
      const target = program.commands.find((c) => c.name() === name || c.aliases().includes(name as string));
      if (!target || target.name() === 'help') program.help({ error: true });
      await load(target as Command);
      (target as Command).help();
    });
  loaders.set(program, load);
  return program;
}

/** The group loader of each program buildProgram made (for loadAllCommands). */
const loaders = new WeakMap<Command, (placeholder: Command) => Promise<void>>();

/**
 * Loads every command group of a program from buildProgram, as if each had run: for what walks the whole
 * command tree (the README test checking each documented option exists, docs tools). Commands never need it.
 */
export async function loadAllCommands(program: Command): Promise<Command> {
  const load = loaders.get(program);
  if (!load) throw new Error('loadAllCommands takes a program made by buildProgram');
  for (const c of program.commands) await load(c);
  return program;
}

/**
 * The program as a command module sees it, except that program.command(name) hands back the placeholder
 * already in the program, so the module's declarations land on it. A module declaring another name is a
 * mistake in commands/index.ts, reported as such.
 */
function hostFor(program: Command, placeholder: Command, name: string): Command {
  const host = Object.create(program) as Command;
  host.command = ((nameAndArgs: string) => {
    const [declared, ...args] = nameAndArgs.trim().split(/ +/);
    if (declared !== name) {
      throw new Error(`commands/index.ts loads "${name}" but its module declares "${declared}"`);
    }
    if (args.length > 0) placeholder.arguments(args.join(' '));
    return placeholder;
  }) as Command['command'];
  return host;
}
