import type { Command } from 'commander';
import { formatMoment, readReportMoment, reportTimeZone } from '../../analytics/asOf.js';
import { parseAsOf } from '../../domain/as-of.js';
import { output, withStore } from '../context.js';

/** Adds `segmint customers explain ID`: why a customer has their scores, in plain words. */
export function registerExplain(customers: Command): void {
  customers
    .command('explain')
    .description("Why a customer has their scores: history, P(alive), the inputs that move their propensity, RFM group")
    .argument('<customer_id>', 'the customer')
    .option('--as-of <date>', 'explain as of this time; a date alone is midnight in the workspace time zone (default: midnight after the last order day, as rfm and clusters)')
    .option('--json', 'print JSON')
    .action(async (id: string, _local: unknown, c: Command) => {
      // With globals: a --json defined on `customers` itself would otherwise swallow ours.
      const o = c.optsWithGlobals<{ asOf?: string; json?: boolean }>();
      // A date is midnight at its start, as for rfm, clusters and segments: the moment this prints.
      // Checked before the store opens; read again there, as a report's moment in the workspace time zone.
      if (o.asOf !== undefined) parseAsOf(o.asOf, '--as-of');
      // Loaded here, not at the top: it brings the model code, which `customers show` and `list` do not need.
      const { explainCustomer } = await import('../../predict/explain/explain-customer.js');
      const [e, tz] = await withStore(c, async (store) => [await explainCustomer(store, id, await readReportMoment(store, o.asOf)), await reportTimeZone(store)] as const);
      // formatMoment: a date for a midnight, the full time otherwise (a date alone reads as midnight).
      output(o.json, e, () => [`${e.customerId} as of ${formatMoment(new Date(e.asOf), tz)}:`, ...e.sentences.map((s) => `  ${s}`)].join('\n'));
    });
}
