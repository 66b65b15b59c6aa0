import type { Command } from 'commander';
import { customerConsent, renderConsent } from '../../privacy/consent/history.js';
import { output, withStore } from '../context.js';

/** Adds `segmint customers consent ID`: the consent in force per channel and its whole history. */
export function registerConsent(customers: Command): void {
  customers
    .command('consent')
    .description('consent per channel (email, sms, push, ads) in force, and every decision recorded: what, when, source')
    .argument('<id>', 'customer id, user_id, email, anonymous_id or external id')
    .option('--json', 'print JSON')
    .action(async (ref: string, _local: unknown, c: Command) => {
      const o = c.optsWithGlobals<{ json?: boolean }>();
      const consent = await withStore(c, (store) => customerConsent(store, ref));
      output(o.json, consent, () => renderConsent(consent));
    });
}
