import type { Command } from 'commander';
import { listSettings, setSetting, unsetSetting, view } from '../../config/settings.js';
import { formatSettings } from '../../workflows/manage/format.js';
import { cliActor } from '../../privacy/audit.js';
import { output, withStore } from '../context.js';
import { audited } from './privacy.js';

export function register(program: Command): void {
  const config = program.command('config').description('Settings: SMTP server, sender, frequency cap, quiet hours, time zone, event retention (secrets are never printed)');
  config
    .command('list')
    .description('Every setting and its value (secrets masked)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const list = await listSettings(store);
        output(opts.json, list, () => formatSettings(list));
      });
    });
  config
    .command('get <key>')
    .description('One setting (masked when secret)')
    .option('--json', 'print JSON')
    .action(async (key: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const v = await view(store, key);
        output(opts.json, v, () => v.value ?? '(unset)');
      });
    });
  config
    .command('set <key> <value>')
    .description('Set a setting, e.g. smtp.url smtp://user:pass@host:587 or retention.events_days 365')
    .option('--json', 'print JSON')
    .action(async (key: string, value: string, opts: { json?: boolean }, cmd: Command) => {
      const actor = cliActor();
      await withStore(cmd, async (store) => {
        const v = await audited(store, actor, 'config set', async () => ({ result: await setSetting(store, key, value), target: key }));
        output(opts.json, v, () => `${key} = ${v.value}${v.source === 'environment' ? ' (the environment overrides the stored value)' : ''}`);
        // A setting defines something, as a segment or a key does: workflows.md sets smtp.url before any import.
      }, { create: true });
    });
  config
    .command('unset <key>')
    .description('Remove a stored setting (back to its default)')
    .option('--json', 'print JSON')
    .action(async (key: string, opts: { json?: boolean }, cmd: Command) => {
      const actor = cliActor();
      await withStore(cmd, async (store) => {
        const removed = await audited(store, actor, 'config unset', async () => ({ result: await unsetSetting(store, key), target: key }));
        output(opts.json, { key, removed }, () => (removed ? `${key} removed` : `${key} had no stored value`));
      });
    });
}
