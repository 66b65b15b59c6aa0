import { printErr, printOut } from './served/current.js';

/**
 * What a command whose output is data (a CSV or JSON export) says once it is done, so that `--json`
 * means the same on these commands as on every other (docs/cli.md, "Exports and --json"):
 *
 * - with `--json`, the summary `value` as one JSON object: on standard output when the data went to
 *   the file `file` (--out), on standard error when the data itself is on standard output, which then
 *   holds nothing but the data;
 * - without it, the command's sentence `text` (none when undefined) on `textTo`, as before.
 *
 * Both go through printOut / printErr, so stored values are escaped for the terminal as elsewhere.
 */
export function exportSummary(opts: { json: boolean | undefined; file: string | undefined; textTo: 'stdout' | 'stderr' }, value: object, text: (() => string) | undefined): void {
  if (opts.json) {
    (opts.file === undefined ? printErr : printOut)(JSON.stringify(value) + '\n');
    return;
  }
  if (text !== undefined) (opts.textTo === 'stdout' ? printOut : printErr)(text() + '\n');
}
