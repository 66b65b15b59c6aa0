/**
 * The registry of person data: every table that holds rows about a person, and how to find one person's
 * rows in it. Erasure deletes (or anonymises) exactly these rows and subject export reads exactly these
 * rows, so a table that is missing here is a table whose data outlives an erasure. A test
 * (test/privacy/registry.test.ts) fails when a table of the schema is in neither list below, and when a
 * table with a person column (customer_id, user_id, email, …) is not in PERSON_TABLES.
 *
 * Adding a table: one line in PERSON_TABLES (usually `byCustomer('my_table')`), or one line in
 * NON_PERSON_TABLES saying why it holds nothing about anyone.
 *
 * The conditions are SQL over three temporary tables the erasure fills first (all of segmint's own
 * making, never user text):
 * - erase_customers(customer_id): the person's customer id and every customer merged into it;
 * - erase_identifiers(kind, value): every identity of those customers;
 * - erase_orders(order_id, new_id): the person's orders (by their old id) and the random id each gets.
 * Entries run in this order: an entry that finds its rows through another table (workflow_run_log
 * through workflow_runs) comes before it. An entry whose table does not exist (an older schema) is
 * skipped.
 */

export interface PersonTable {
  readonly table: string;
  /** SQL condition true for the person's rows */
  readonly rows: string;
  /**
   * How erasure treats the rows: deleted (default), or kept with `SET` applied so that nothing in them
   * points at the person any more (orders keep the shop's revenue totals: docs/privacy.md).
   */
  readonly anonymise?: { readonly set: string };
  /**
   * When `table` is a view, the base table its person rows are stored in: erasure deletes there, while the
   * subject export reads the view (every column, as readers see them) and reports count the rows under
   * `table`. customer_predictions is such a view since migration 17 (the run's as_of and model are stored
   * once, in prediction_runs).
   */
  readonly storedIn?: string;
}

/** The base table that holds an entry's rows: its own, or the one under its view. */
export function storedTable(entry: PersonTable): string {
  return entry.storedIn ?? entry.table;
}

const CUSTOMERS = '(SELECT customer_id FROM erase_customers)';
const ORDERS = '(SELECT order_id FROM erase_orders)';
const valuesOf = (kind: string): string => `(SELECT value FROM erase_identifiers WHERE kind = '${kind}')`;
const newOrderId = (table: string): string => `(SELECT new_id FROM erase_orders e WHERE e.order_id = ${table}.order_id)`;

/** The rows whose `columns` (default customer_id) name one of the person's customers. */
export function byCustomer(table: string, ...columns: string[]): PersonTable {
  const cols = columns.length > 0 ? columns : ['customer_id'];
  return { table, rows: cols.map((c) => `${c} IN ${CUSTOMERS}`).join(' OR ') };
}

export const PERSON_TABLES: readonly PersonTable[] = [
  // The profile and how it is found.
  byCustomer('customers', 'customer_id', 'merged_into'),
  byCustomer('identities'),
  {
    table: 'merges',
    rows: `survivor_id IN ${CUSTOMERS} OR absorbed_id IN ${CUSTOMERS} OR identifier_value IN (SELECT value FROM erase_identifiers)`,
  },
  // Behaviour. Events of no customer are still the person's when they carry the person's ids.
  {
    table: 'events',
    rows: `customer_id IN ${CUSTOMERS} OR user_id IN ${valuesOf('user_id')} OR anonymous_id IN ${valuesOf('anonymous_id')}`,
  },
  // Orders are kept for the shop's revenue totals, linked to no one: a fresh random id (some shops build
  // order ids from names or emails), no customer, no message id; their lines follow the new id.
  { table: 'order_lines', rows: `order_id IN ${ORDERS}`, anonymise: { set: `order_id = ${newOrderId('order_lines')}` } },
  {
    table: 'orders',
    rows: `customer_id IN ${CUSTOMERS}`,
    anonymise: { set: `order_id = ${newOrderId('orders')}, customer_id = NULL, message_id = NULL` },
  },
  { table: 'order_claims', rows: `order_id IN ${ORDERS}` },
  { table: 'order_conflicts', rows: `order_id IN ${ORDERS} OR kept_customer_id IN ${CUSTOMERS} OR other_customer_id IN ${CUSTOMERS}` },
  // Consent and traits, with their history.
  byCustomer('consent'),
  byCustomer('consent_history'),
  byCustomer('trait_times'),
  // Metrics, scores and predictions.
  byCustomer('customer_metrics'),
  byCustomer('customer_rfm'),
  byCustomer('customer_clusters'),
  { ...byCustomer('customer_predictions'), storedIn: 'customer_prediction_values' },
  byCustomer('propensity_scores'),
  // Segments: membership, its history, KPI inputs; experiments.
  byCustomer('segment_members'),
  byCustomer('segment_history'),
  byCustomer('segment_kpi_members'),
  byCustomer('experiment_assignments'),
  // Real time: membership change deliveries carry the customer.
  byCustomer('webhook_deliveries'),
  // Workflows: the run log is found through the runs, so it comes first.
  { table: 'workflow_run_log', rows: `run_id IN (SELECT run_id FROM workflow_runs WHERE customer_id IN ${CUSTOMERS})` },
  byCustomer('workflow_sends'),
  byCustomer('workflow_assignments'),
  byCustomer('workflow_triggers'),
  byCustomer('workflow_runs'),
  byCustomer('customer_tags'),
  byCustomer('static_list_members'),
  // The audit log keeps that an admin exported or erased someone, not whom.
  { table: 'audit_log', rows: `target IN ${CUSTOMERS}`, anonymise: { set: "target = 'an erased customer'" } },
];

/**
 * Tables that hold nothing about any one person, and why. The suppression list is here on purpose: it
 * is what erasure leaves, keyed hashes that name no one.
 */
export const NON_PERSON_TABLES: Readonly<Record<string, string>> = {
  schema_migrations: 'schema versions',
  api_keys: 'API keys (hashed) of the shop and its tools',
  api_key_kinds: 'the kind of each API key',
  api_key_expiry: 'when each API key expires',
  imports: 'file names, counts and per-line reasons about numbers and dates',
  segments: "segment definitions the shop wrote (a definition naming a person's email is the shop's own text: erasure lists such segments)",
  clv_models: 'model parameters and fit reports over the whole base',
  prediction_runs: 'the as-of day, model and time of the stored lifetime-value predictions (their values per customer are in customer_prediction_values)',
  cluster_runs: 'cluster centres and sizes',
  propensity_models: 'model coefficients over the whole base',
  recommend_method_choices: 'which recommendation method won, with its hit counts',
  experiments: 'experiment definitions',
  segment_kpis: 'daily counts and sums per segment',
  segment_kpi_state: 'the last day computed per segment',
  segment_health_checks: 'health reports per segment (counts and rates)',
  segment_usage: 'which segment was used by what, and when',
  realtime_watermark: 'the instant the real-time engine has recorded up to',
  segment_history_next: 'the next free number of the change stream (segment_history.seq, migration 27)',
  segment_live_refusals: 'why a server did not keep a segment live (migration 30)',
  segment_definition_changes: "when a segment's definition last changed (migration 30)",
  webhooks: 'webhook addresses per segment',
  workflows: 'workflow definitions',
  workflow_versions: 'workflow definitions',
  workflow_cursors: 'where the workflow engine has read up to',
  settings: 'the shop settings',
  privacy_secret: 'the key of the suppression hashes',
  suppressions: 'keyed hashes of erased identifiers: what erasure leaves, naming no one',
  suppression_legacy_kinds: 'identifier kinds of suppression entries older than migration 32',
  regulations: 'erasure requests, in counts only',
};

/**
 * Column names that point at a person. A table with one of these (or a name ending in _customer_id)
 * must be in PERSON_TABLES.
 */
export const PERSON_COLUMNS: readonly string[] = [
  'customer_id',
  'user_id',
  'anonymous_id',
  'email',
  'recipient',
  'identifier_value',
  'survivor_id',
  'absorbed_id',
  'merged_into',
];

export function isPersonColumn(name: string): boolean {
  return PERSON_COLUMNS.includes(name) || name.endsWith('_customer_id');
}
