import type { Command } from 'commander';
import { resolveAsOf } from '../../analytics/asOf.js';
import { warnOrdersAfter } from '../as-of-warning.js';
import { parseFeatures } from '../../analytics/clusters/features.js';
import { formatClusters } from '../../analytics/clusters/format.js';
import { runClusters } from '../../analytics/clusters/runClusters.js';
import { SegmintError } from '../../domain/errors.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import { output, withStore } from '../context.js';

interface Opts {
  k: string;
  features?: string;
  seed: string;
  method: string;
  restarts: string;
  sample?: string;
  eps?: string;
  minPoints?: string;
  asOf?: string;
  save: boolean;
  json?: boolean;
}

function number(option: string, text: string, check: (x: number) => boolean, what: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || !check(x)) {
    throw new SegmintError('invalid_option', `${option}: "${text}" is not ${what}`, { option, value: text });
  }
  return x;
}

/** --k: auto, or a whole number of clusters in the one sentence every whole-number option uses. */
function kOption(text: string): number {
  try {
    return wholeNumberIn(text, '--k', 1);
  } catch {
    throw new SegmintError('invalid_option', `--k: "${text}" is not auto or a whole number ≥ 1`, { option: '--k', value: text, min: 1 });
  }
}

export function register(program: Command): void {
  program
    .command('clusters')
    .description('Group customers by behaviour with k-means (or DBSCAN) and name each cluster from its profile')
    .option('--k <k>', 'number of clusters, or auto (best silhouette for k = 2..8)', 'auto')
    .option('--features <list>', 'extra features added to recency, frequency and monetary, comma separated: avg_days_between_orders, distinct_products, avg_order_value, gross_revenue, refunded')
    .option('--method <method>', 'kmeans or dbscan', 'kmeans')
    .option('--seed <n>', 'seed of the random choices; same seed, same clusters', '42')
    .option('--restarts <n>', 'k-means runs per k; the lowest inertia wins', '10')
    .option('--sample <n>', 'customers the silhouette (default 2000) or DBSCAN (default 5000) work on; larger bases are sampled')
    .option('--eps <r>', 'DBSCAN radius in standard deviations (default: from the k-distance graph)')
    .option('--min-points <n>', 'DBSCAN points needed around a core point (default: 2 × features)')
    .option('--as-of <time>', 'moment of recency, frequency and monetary; a date alone is midnight in the workspace time zone (default: midnight after the last order day there)')
    .option('--no-save', 'do not replace the saved assignments used by cluster segment fields')
    .option('--json', 'print JSON')
    .action(async (opts: Opts, cmd: Command) => {
      const method = opts.method === 'kmeans' || opts.method === 'dbscan' ? opts.method : undefined;
      if (!method) throw new SegmintError('invalid_option', `--method: "${opts.method}" is not kmeans or dbscan`, { option: '--method', value: opts.method });
      const k = opts.k === 'auto' ? 'auto' : kOption(opts.k);
      const features = parseFeatures(opts.features);
      // Every option is read before the database is opened, so a typo is named before any data error.
      const numbers = {
        seed: wholeNumberIn(opts.seed, '--seed', 0),
        restarts: wholeNumberIn(opts.restarts, '--restarts', 1),
        sample: opts.sample === undefined ? undefined : wholeNumberIn(opts.sample, '--sample', 2),
        eps: opts.eps === undefined ? undefined : number('--eps', opts.eps, (x) => x > 0, 'a positive number'),
        minPoints: opts.minPoints === undefined ? undefined : wholeNumberIn(opts.minPoints, '--min-points', 1),
      };
      await withStore(cmd, async (store) => {
        const asOf = await resolveAsOf(store, opts.asOf);
        if (opts.asOf === undefined) await warnOrdersAfter(store, asOf);
        const report = await runClusters(store, { asOf, features, method, k, ...numbers, save: opts.save });
        output(opts.json, report, () => formatClusters(report));
      });
    });
}
