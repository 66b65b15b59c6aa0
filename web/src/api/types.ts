/** Shapes of the API answers the dashboard reads (docs/api.md, GET /openapi.json). Times are ISO text. */

export type Scope = 'admin' | 'write' | 'read';

export interface Me {
  keyId: string;
  name: string | null;
  scopes: Scope[];
  createdAt: string;
}

export interface Stats {
  customers: number;
  customers_with_orders: number;
  orders: number;
  net_revenue: number;
}

export interface SeriesPoint {
  at: string;
  members: number;
  entered: number;
  exited: number;
}

export interface SegmentTrend {
  name: string;
  members: number;
  refreshedAt: string | null;
  refreshedAsOf: string | null;
  change7d: number | null;
  series: SeriesPoint[];
}

export interface Overview {
  as_of: string | null;
  stats: Stats;
  revenue: { days: number; current: number; previous: number; change: number | null; orders_current: number; orders_previous: number }[];
  segments: SegmentTrend[];
  warnings: { id: string; title: string; count: number; out_of?: number }[] | null;
}

export interface Segment {
  id: string;
  name: string;
  query: string;
  definition: unknown;
  description: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  refreshedAt: string | null;
  refreshedAsOf: string | null;
  members: number;
  /** what the stored members are (GET /v1/segments): kept live now, written by a server that kept it live, the last refresh, or never counted */
  membersSource: 'live' | 'server' | 'refresh' | 'none';
  /** the moment the stored members describe; null when never counted */
  membersAsOf: string | null;
  change7d?: number | null;
  series?: SeriesPoint[];
}

export interface Problem {
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  path?: string;
}

export interface DefinitionCheck {
  ok: boolean;
  text: string | null;
  json: unknown;
  problems: Problem[];
}

export interface Preview {
  query: string;
  asOf: string;
  count: number;
  base: number;
  share: number;
  sample: { customerId: string; traits: Record<string, unknown>; ordersCount: number | null; totalSpent: number | null; lastOrderAt: string | null }[];
  warnings: { code?: string; message: string }[];
}

export interface Vocabulary {
  fields: { name: string; type: string; description: string }[];
  events: { name: string; count: number }[];
  traits: { name: string; count: number }[];
  segments: string[];
  keywords: string[];
}

export interface Members {
  name: string;
  total: number;
  refreshedAsOf: string | null;
  members: { customer_id: string; since: string }[];
}

export interface SegmentHistory {
  name: string;
  runs: { changed_at: string; recorded_at: string; entered: number; exited: number }[];
}

/** Daily KPIs of a segment (measurement: GET /v1/segments/{name}/kpis, `segmint segments kpis`). */
export interface SegmentKpis {
  segment: string;
  from: string;
  to: string;
  days: { day: string; size: number; entries: number; exits: number; orders: number; buyers: number; revenue: number; conversion: number | null; open_rate: number | null }[];
  totals: { days: number; size_first: number; size_last: number; entries: number; exits: number; orders: number; revenue: number; daily_conversion: number | null; aov: number | null; daily_open_rate: number | null };
}

export interface Overlap {
  segments: { segment_id: string; name: string; members: number }[];
  pairs: { a: string; b: string; a_members: number; b_members: number; both: number; either: number; jaccard: number; share_of_a_in_b: number; share_of_b_in_a: number }[];
}

export interface SearchHit {
  customer_id: string;
  matched: { kind: string; value: string; exact: boolean };
  traits: Record<string, unknown>;
  email: string | null;
  user_id: string | null;
  orders_count: number;
  total_spent: number;
  last_order_at: string | null;
}

export interface CustomerListRow {
  customer_id: string;
  traits: Record<string, unknown>;
  orders_count: number;
  total_spent: number;
  last_order_at: string | null;
  user_id: string | null;
  email: string | null;
}

export interface Profile {
  customer_id: string;
  created_at: string;
  updated_at: string;
  traits: Record<string, unknown>;
  identities: { kind: string; value: string; first_seen_at: string }[];
  metrics: {
    orders_count: number;
    gross_revenue: number;
    refunded: number;
    total_spent: number;
    avg_order_value: number | null;
    first_order_at: string | null;
    last_order_at: string | null;
    days_since_last_order: number | null;
    avg_days_between_orders: number | null;
    distinct_products: number;
    top_category: string | null;
  };
  as_of: string;
  consent: { channel: string; status: string; updated_at: string; source: string }[];
}

export interface Scores {
  customer_id: string;
  rfm: { as_of: string; r: number; f: number; m: number; score: string; rfm_group: string; recency_days: number; frequency: number; monetary: number } | null;
  clv: {
    as_of: string;
    model: string;
    expected_purchases_90d: number;
    p_alive: number;
    churn_probability: number;
    churn_risk: string;
    expected_spend: number | null;
    predicted_clv_365d: number | null;
    next_order_at: string | null;
  } | null;
  propensity: { target: string; probability: number; as_of: string; model_id: string }[];
  cluster: { cluster: number | null; cluster_name: string; method: string; as_of: string } | null;
}

export interface ExplanationNode {
  kind: string;
  condition: string;
  result: 'true' | 'false' | 'unknown';
  detail: string;
  children?: ExplanationNode[];
}

export interface CustomerSegments {
  customerId: string;
  segments: { segment: string; query: string; member: boolean; storedMember: boolean | null; refreshWouldRecord: boolean; asOf: string; changesAt: string | null; explanation: ExplanationNode }[];
}

export type TimelineItem =
  | { kind: 'order' | 'refund'; at: string; order_id: string; revenue: number; currency: string | null; source: string; lines: { product_id: string | null; name: string | null; category: string | null; quantity: number | null; amount: number }[] }
  | { kind: 'event'; at: string; message_id: string; type: string; event: string | null; source: string; properties: unknown };

export interface Timeline {
  customer_id: string;
  items: TimelineItem[];
  next_before: string | null;
}

export interface CustomerExplanation {
  customerId: string;
  asOf: string;
  sentences: string[];
}

export interface Recommendations {
  customerId: string;
  asOf: string;
  ordersSoFar: number;
  recommendations: { productId: string; name: string | null; score: number; reason: string }[];
}

export interface RfmReport {
  as_of: string;
  bins: number;
  scored: number;
  group_details: { name: string; count: number; share: number; action: string }[];
}

export interface RfmGrid {
  as_of: string;
  bins: number;
  scored: number;
  cells: { r: number; f: number; customers: number; share: number; mean_monetary: number; mean_m: number; query: string }[];
}

export interface RfmMovement {
  from: string;
  to: string;
  rows: string[];
  columns: string[];
  matrix: Record<string, Record<string, number>>;
  customers_at_from: number;
  customers_at_to: number;
  new_customers: number;
}

export interface Cohorts {
  by: string;
  data_end: string;
  last_period_partial: boolean;
  cohorts: { cohort: string; customers: number; periods: { period: number; active: number; retention: number; orders: number; revenue: number; cumulative_revenue_per_customer: number }[] }[];
}

export interface Clusters {
  method: string;
  as_of: string;
  customers: number;
  features: string[];
  k: number;
  silhouette: number | null;
  outliers: number;
  clusters: { cluster: number; name: string; size: number; share: number; mean: Record<string, number | null>; median: Record<string, number | null>; z: Record<string, number> }[];
}

export interface Histogram {
  edges: number[];
  counts: number[];
}

export interface PredictionDistribution {
  as_of: string;
  model: string;
  customers: number;
  churn_risk: { low: number; medium: number; high: number };
  mean_p_alive: number;
  totals: { expected_purchases_90d: number; predicted_clv_365d: number | null };
  p_alive: Histogram;
  clv: Histogram | null;
}

export interface ClvValidation {
  model: string;
  calibration_end?: string;
  holdout_end?: string;
  time_unit?: string;
  holdout_length: number;
  customers: number;
  by_frequency: { x: string; customers: number; actual: number; model: number; naive: number }[];
  totals: { actual: number; model: number; naive: number };
  mean_absolute_error: { model: number; naive: number };
}

export interface PropensityValidation {
  target: string;
  horizonDays: number;
  trainCutoff: string;
  testCutoff: string;
  test: { customers: number; baseRate: number };
  model: { auc?: number; precisionTop10?: number };
  baselines: { name: string; auc?: number; precisionTop10?: number; unavailable?: string }[];
  calibration: { bin: number; count: number; meanPredicted: number; observedRate: number }[];
}

export interface QualityReport {
  as_of: string;
  checks: { id: string; title: string; count: number; out_of?: number; examples: unknown[]; definition: string }[];
}

export interface ImportRecord {
  importId: string;
  file: string;
  format: string;
  startedAt: string;
  finishedAt: string | null;
  report: Record<string, unknown> | null;
}

export interface ImportPreview {
  bytes: number;
  gzip: boolean;
  format: string | null;
  detected: boolean;
  problem: { code: string; message: string } | null;
  columns: string[];
  rows: string[][];
}

export interface UploadAnswer {
  upload: { id: string; name: string; bytes: number; receivedAt: string };
  preview: ImportPreview;
}

export interface Job<R = unknown> {
  id: string;
  kind: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  steps: string[];
  step: number;
  startedAt: string | null;
  finishedAt: string | null;
  result: R | null;
  error: { error: string; message: string; details?: Record<string, unknown> } | null;
}

// The act and measure pages' answers (experiments, live changes, workflows, webhooks).
export * from './types-act';
