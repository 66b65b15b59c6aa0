import type { Command } from 'commander';
import { readMoment } from '../../analytics/asOf.js';
import { parseAsOf } from '../../domain/as-of.js';
import { customerProfile } from '../../profiles/profile.js';
import { listJson, renderList, renderProfile, renderStats } from '../../profiles/render.js';
import { customerStats } from '../../store/queries/metrics.js';
import { listCustomers } from '../../store/queries/profiles.js';
import { SEARCH_LIMIT_MAX, searchCustomers } from '../../profiles/search.js';
import { intOption } from '../../segments/manage/input.js';
import { renderSearch } from '../../profiles/render-search.js';
import { output, withStore } from '../context.js';
import { registerConsent } from './consent.js';
import { registerExplain } from './explain.js';

export function register(program: Command): void {
  const customers = program.command('customers').description('look at customer profiles');
  registerExplain(customers);
  registerConsent(customers);

  customers
    .command('stats')
    .description('headline counts: customers, customers with orders, orders and net revenue of identified customers')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const stats = await withStore(cmd, (store) => customerStats(store));
      output(opts.json, stats, () => renderStats(stats));
    });

  customers
    .command('show')
    .description('one customer: traits, identities, metrics, consent and recent events')
    .argument('<id>', 'customer id, user_id, email, anonymous_id or external id')
    .option('--as-of <time>', 'time days_since_last_order is counted to: a date (midnight in the workspace time zone) or datetime (UTC unless it has an offset; default: now)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean; asOf?: string }, cmd: Command) => {
      parseAsOf(opts.asOf); // refused before the database is opened
      const profile = await withStore(cmd, async (store) => customerProfile(store, ref, await readMoment(store, opts.asOf)));
      output(opts.json, profile, () => renderProfile(profile));
    });

  customers
    .command('search')
    .description('find customers by any identifier (email, user id, anonymous id, order id, customer id) or the start of one or of a name')
    .argument('<text>', 'what to look for')
    .option('--limit <n>', `at most this many (1 to ${SEARCH_LIMIT_MAX})`, '20')
    .option('--json', 'print JSON')
    .action(async (text: string, opts: { limit: string; json?: boolean }, cmd: Command) => {
      const limit = intOption(opts.limit, '--limit', 1, SEARCH_LIMIT_MAX)!;
      const found = await withStore(cmd, (store) => searchCustomers(store, text, limit));
      output(opts.json, found, () => renderSearch(found));
    });

  customers
    .command('list')
    .description('customers by net spend, largest first')
    .option('--limit <n>', 'how many', '20')
    .option('--offset <n>', 'skip this many first', '0')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean; limit: string; offset: string }, cmd: Command) => {
      const limit = intOption(opts.limit, '--limit')!;
      const offset = intOption(opts.offset, '--offset')!;
      const rows = await withStore(cmd, (store) => listCustomers(store, limit, offset));
      output(opts.json, listJson(rows), () => renderList(rows));
    });
}
