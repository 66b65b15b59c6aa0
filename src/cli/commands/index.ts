import type { Command } from 'commander';

/** A command group, known by its help line until it runs. */
export interface LazyCommand {
  /** The group's name: the first word after `segmint`. */
  readonly name: string;
  /** The left column of `segmint --help`: the name, `[options]` when it has options, then its arguments. */
  readonly term: string;
  /** Its description, word for word as the module declares it. */
  readonly description: string;
  /** Imports the module; its register(program) declares the command with program.command(name). */
  readonly load: () => Promise<{ register: (program: Command) => void }>;
}

/**
 * Every command group, in the order `segmint --help` lists them.
 *
 * A command's module is imported only when that command runs: `segmint --help` loads none of them, and
 * `segmint customers show` loads customers.ts and what it imports, not the HTTP server, the CSV importer
 * or the model fitting of the others (see program.ts). To add a command group, add one line here:
 *
 *   { name: 'things', term: 'things [options] <file>', description: 'what it does', load: () => import('./things.js') },
 *
 * with `term` and `description` exactly as the root help shows them (test/cli/lazy-commands.test.ts
 * compares each line with the module's own declaration), and keep heavy imports (fastify, DuckDB,
 * model code) out of this file and program.ts: a static import here would load on every start.
 */
export const commandModules: readonly LazyCommand[] = [
  {
    name: 'demo',
    term: 'demo [options]',
    description:
      'Generate a realistic synthetic shop (seeded; 5,000 people over a year by default), load it into the database ' +
      'and start the HTTP server. Run again with the same options: nothing is duplicated.',
    load: () => import('./demo.js'),
  },
  {
    name: 'import',
    term: 'import [options] <file>',
    description: 'import orders or customers from a CSV or CSV.GZ export (Online Retail, Shopify, CDNOW, or any CSV with --map)',
    load: () => import('./import.js'),
  },
  {
    name: 'imports',
    term: 'imports [options]',
    description: 'Imports and demo loads in the database, newest first, with what each reported',
    load: () => import('./imports.js'),
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description:
      'Run the HTTP API (live events in the Segment format, keys, segments) and keep every saved segment live. ' +
      'While it runs, every other segmint command on this database is carried out by it.',
    load: () => import('./serve.js'),
  },
  {
    name: 'status',
    term: 'status [options]',
    description: 'Is a server running on this database; which segments it keeps live (and which not, and why); memory used',
    load: () => import('./status.js'),
  },
  {
    name: 'keys',
    term: 'keys',
    description: 'API keys for the HTTP API (stored hashed; also under /v1/keys with an admin key)',
    load: () => import('./keys.js'),
  },
  {
    name: 'overview',
    term: 'overview [options]',
    description:
      "The shop at a glance (the dashboard's first page): counts, revenue in the last 30 and 90 days against the period " +
      'before, segment sizes, quality warnings',
    load: () => import('./overview.js'),
  },
  {
    name: 'customers',
    term: 'customers',
    description: 'look at customer profiles',
    // privacy.ts adds erase and export to the group customers.ts declares.
    load: async () => {
      const [base, privacy] = await Promise.all([import('./customers.js'), import('./privacy.js')]);
      return { register: (program: Command) => (base.register(program), privacy.registerCustomerPrivacy(program)) };
    },
  },
  {
    name: 'retention',
    term: 'retention',
    description: 'Delete raw events older than the retention.events_days setting (aggregates stay); `segmint serve` does it daily',
    load: async () => ({ register: (await import('./privacy.js')).registerRetention }),
  },
  {
    name: 'audit',
    term: 'audit [options]',
    description: 'The audit log of admin actions (keys, erasure, subject exports, settings, retention): who, what, when',
    load: async () => ({ register: (await import('./privacy.js')).registerAudit }),
  },
  {
    name: 'quality',
    term: 'quality [options]',
    description:
      'check the data before trusting segments: guest lines, duplicate customers, bad emails and prices, unmatched ' +
      'cancellations, future events, outliers',
    load: () => import('./quality.js'),
  },
  {
    name: 'segments',
    term: 'segments',
    description: 'Create, preview, refresh, explain, export and watch segments',
    // segments-measure.ts adds kpis and health, fairness.ts audit, to the group segments.ts declares.
    load: async () => {
      const [base, measure, fairness] = await Promise.all([import('./segments.js'), import('./segments-measure.js'), import('./fairness.js')]);
      return { register: (program: Command) => (base.register(program), measure.register(program), fairness.registerSegmentAudit(program)) };
    },
  },
  {
    name: 'experiments',
    term: 'experiments',
    description: 'A/B tests and holdouts: split a segment at random, then measure lift with honest intervals',
    load: () => import('./experiments.js'),
  },
  {
    name: 'webhooks',
    term: 'webhooks',
    description: 'POST segment entries and exits to your URLs, signed with HMAC-SHA256 (sent by `segmint serve`; docs/realtime.md)',
    load: () => import('./webhooks.js'),
  },
  {
    name: 'rfm',
    term: 'rfm [options]',
    description: 'Score customers by recency, frequency and monetary value and put them in RFM groups',
    load: () => import('./rfm.js'),
  },
  {
    name: 'cohorts',
    term: 'cohorts [options]',
    description: 'Acquisition cohorts: how customers first won in each month or week keep buying',
    load: () => import('./cohorts.js'),
  },
  {
    name: 'clusters',
    term: 'clusters [options]',
    description: 'Group customers by behaviour with k-means (or DBSCAN) and name each cluster from its profile',
    load: () => import('./clusters.js'),
  },
  {
    name: 'clv',
    term: 'clv',
    description: 'Customer lifetime value: BG/NBD or Pareto/NBD for purchases, Gamma-Gamma for spend (docs/predictions.md)',
    load: () => import('./clv.js'),
  },
  {
    name: 'propensity',
    term: 'propensity',
    description: 'Supervised purchase and churn propensity: "will this customer order in the next 30 days?"',
    // fairness.ts adds audit to the group propensity.ts declares.
    load: async () => {
      const [base, fairness] = await Promise.all([import('./propensity.js'), import('./fairness.js')]);
      return { register: (program: Command) => (base.register(program), fairness.registerPropensityAudit(program)) };
    },
  },
  {
    name: 'recommend',
    term: 'recommend [options] [customer_id]',
    description: 'Products a customer is likely to want next, or products frequently bought together',
    load: () => import('./recommend.js'),
  },
  {
    name: 'workflows',
    term: 'workflows',
    description: 'Durable workflows: triggers, waits, branches, emails and webhooks (docs/workflows.md)',
    load: () => import('./workflows.js'),
  },
  {
    name: 'config',
    term: 'config',
    description: 'Settings: SMTP server, sender, frequency cap, quiet hours, time zone, event retention (secrets are never printed)',
    load: () => import('./config.js'),
  },
];
