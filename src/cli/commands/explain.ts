import type { Command } from 'commander';
import { parseCutoff } from '../../predict/propensity/time.js';
import { output, withStore } from '../context.js';

/** Adds `segmint customers explain ID`: why a customer has their scores, in plain words. */
export function registerExplain(customers: Command): void {
  customers
    .command('explain')
    .description("Why a customer has their scores: history, P(alive), the inputs that move their propensity, RFM group")
    .argument('<customer_id>', 'the customer')
    .option('--as-of <date>', 'explain as of this time (default: the last order in the store)')
    .option('--json', 'print JSON')
    .action(async (id: string, _local: unknown, c: Command) => {
      // With globals: a --json defined on `customers` itself would otherwise swallow ours.
      const o = c.optsWithGlobals<{ asOf?: string; json?: boolean }>();
      const asOf = o.asOf === undefined ? undefined : parseCutoff(o.asOf, 'as-of');
      // Loaded here, not at the top: it brings the model code, which `customers show` and `list` do not need.
      const { explainCustomer } = await import('../../predict/explain/explain-customer.js');
      const e = await withStore(c, (store) => explainCustomer(store, id, asOf));
      output(o.json, e, () => [`${e.customerId} as of ${e.asOf.slice(0, 10)}:`, ...e.sentences.map((s) => `  ${s}`)].join('\n'));
    });
}
