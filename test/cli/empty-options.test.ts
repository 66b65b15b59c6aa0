import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram, loadAllCommands } from '../../src/cli/program.js';
import { isSegmintError } from '../../src/domain/errors.js';
import { segmint } from '../helpers/serve.js';

/**
 * Trial 8, D4: `--as-of ""` (an unset shell variable) was taken as the option left out, and
 * `rfm --as-of ""` replaced the saved snapshot with one as of now. Every option of every command, given
 * "", is refused naming it before the command does anything; only --description and --notes take "".
 */
const dir = mkdtempSync(join(tmpdir(), 'segmint-empty-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FREE_TEXT = new Set(['--description', '--notes']);

function leaves(cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  if (subs.length === 0) return [{ path, cmd }];
  return subs.flatMap((c) => leaves(c, [...path, c.name()]));
}

describe('an option given "" is refused, naming it', () => {
  it('for every option that takes a value, of every command', async () => {
    const program = await loadAllCommands(buildProgram());
    let checked = 0;
    const wrong: string[] = [];
    for (const { path, cmd } of leaves(program)) {
      const args = cmd.registeredArguments.filter((a) => a.required).map(() => 'x');
      for (const option of cmd.options) {
        if (!option.long || !(option.required || option.optional) || FREE_TEXT.has(option.long)) continue;
        // the command's other mandatory options, given a value
        const others = cmd.options.filter((o) => o.mandatory && o !== option).flatMap((o) => [o.long!, 'x']);
        const argv = ['node', 'segmint', '--db', join(dir, 'none.duckdb'), ...path, ...args, ...others, option.long, ''];
        const e = await buildProgram({ json: true }).parseAsync(argv).then(
          () => undefined,
          (x: unknown) => x,
        );
        checked++;
        if (!isSegmintError(e) || e.code !== 'option_empty' || !e.message.startsWith(`${option.long}: "" is empty`)) {
          wrong.push(`${path.join(' ')} ${option.long}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(80);
  }, 120_000);

  it('the root --db "" too, and a free-text option takes "" as the empty text', async () => {
    await expect(buildProgram().parseAsync(['node', 'segmint', '--db', '', 'customers', 'show', 'x'])).rejects.toMatchObject({ code: 'option_empty' });
    await expect(buildProgram().parseAsync(['node', 'segmint', '--db', ' ', 'customers', 'show', 'x'])).rejects.toMatchObject({ code: 'option_empty' });
    // past the rule: it fails later, on the database that is not there
    await expect(buildProgram().parseAsync(['node', 'segmint', '--db', join(dir, 'none.duckdb'), 'segments', 'update', 'x', '--description', ''])).rejects.toMatchObject({
      code: 'store_missing',
    });
  });

  it('as the command a user runs: exit 2, one sentence naming the option, before any work', async () => {
    const r = await segmint(['--db', join(dir, 'shop.duckdb'), 'rfm', '--as-of', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('segmint: --as-of: "" is empty; leave --as-of out to use its default, or give it a value (an unset shell variable gives "")\n');
    expect(existsSync(join(dir, 'shop.duckdb'))).toBe(false);
  }, 60_000);
});
