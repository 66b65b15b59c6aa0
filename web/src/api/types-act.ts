/** Shapes of the API answers of the act and measure pages (experiments, live changes, workflows, webhooks). Times are ISO text. */

/** An experiment (measurement: GET /v1/experiments, `segmint experiments list`). */
export interface Experiment {
  name: string;
  source: string;
  segment: string | null;
  groups: { name: string; weight: number; customers: number }[];
  control: string;
  assigned_at: string;
  created_at: string;
  description: string | null;
  srm_p_value: number | null;
}

export interface LiftInterval {
  estimate: number | null;
  ci95: [number | null, number | null];
}

/** GET /v1/experiments/{name}/analysis, `segmint experiments analyze --json`. */
export interface ExperimentAnalysis {
  experiment: string;
  as_of: string;
  window_days: number;
  control: string;
  customers: number;
  complete_windows: number;
  window_ends_at: string | null;
  srm_p_value: number | null;
  metrics: {
    metric: string;
    description: string;
    unit: string;
    guardrail: boolean;
    groups: {
      group: string;
      customers: number;
      mean: number | null;
      absolute_lift: LiftInterval | null;
      relative_lift: LiftInterval | null;
      p_value: number | null;
      cuped: { relative_lift: LiftInterval; variance_reduction: number } | null;
      summary: string | null;
    }[];
  }[];
  summary: string[];
}

/** One entry of the change stream of every segment (GET /v1/changes, its Server-Sent Events). */
export interface SegmentChange {
  cursor: string;
  /** null when the segment has been deleted since */
  segment: string | null;
  customerId: string;
  change: 'entered' | 'exited';
  /** the instant the change came true */
  at: string;
  recordedAt: string;
}

/** GET /v1/realtime/status, `segmint status`. */
export interface RealtimeStatus {
  running: boolean;
  startedAt?: string | null;
  customers?: number;
  segments?: { segmentId: string; name: string; members: number; heldEvents: number; evaluations: number }[];
  refused?: { segmentId: string; name: string; reason: string }[];
  watermark?: string | null;
  nextChangeAt?: string | null;
  memory?: { stateBytes: number; bytesPerCustomer: number; heldEvents: number; heapUsed: number; rss: number };
  webhooks: { pending: number; failed: number; delivered: number };
}

/** GET /v1/workflows (an item), `segmint workflows list`. */
export interface WorkflowSummary {
  id: string;
  name: string;
  status: 'active' | 'paused';
  version: number;
  template: string | null;
  description: string | null;
  trigger: string;
  createdAt: string;
  updatedAt: string;
  activeSince: string;
  runs: { active: number; total: number; converted: number };
  messages: { sent: number; skipped: number };
}

/** GET /v1/workflows/{name}, `segmint workflows show`. */
export interface WorkflowDetail extends WorkflowSummary {
  source: string;
  format: string;
  definition: unknown;
  versions: { version: number; createdAt: string }[];
  triggers: { outcome: string; n: number }[];
  skipped: { reason: string; n: number }[];
}

/** GET /v1/workflows/{name}/steps, `segmint workflows steps`. */
export interface WorkflowStepCounts {
  workflow: string;
  version: number;
  runs: { status: string; n: number }[];
  activeElsewhere: number;
  steps: {
    id: string;
    kind: string;
    does: string;
    activeHere: number;
    outcomes: { outcome: string; n: number }[];
    sends: { channel: string; status: string; reason: string | null; n: number }[];
  }[];
}

/** GET /v1/workflows/{name}/runs (an item), `segmint workflows runs`. */
export interface WorkflowRun {
  id: string;
  workflow: string;
  version: number;
  customerId: string;
  key: string | null;
  status: string;
  state: string;
  position: string | null;
  wakeAt: string | null;
  enteredAt: string;
  endedAt: string | null;
  endReason: string | null;
  convertedAt: string | null;
  holdout: boolean;
  trigger: unknown;
}

/** GET /v1/workflow-runs/{id}, `segmint workflows run-show`. */
export interface WorkflowRunDetail extends WorkflowRun {
  log: { logged_at: string; step_id: string | null; action: string; detail: string | null }[];
  sends: { step_id: string; channel: string; status: string; reason: string | null; recipient: string | null; subject: string | null; attempts: number; last_error: string | null; sent_at: string | null }[];
  assignments: { step_id: string; variant: string; assigned_at: string }[];
}

/** GET /v1/webhooks (an item), `segmint webhooks list`. */
export interface Webhook {
  id: string;
  segment: string | null;
  segmentId: string;
  url: string;
  on: 'entered' | 'exited' | 'both';
  createdAt: string;
  /** in full only in the answer that created it; a prefix afterwards */
  secret: string;
}

/** GET /v1/webhooks/deliveries (an item), `segmint webhooks deliveries`. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  segment: string | null;
  customerId: string;
  change: 'entered' | 'exited';
  at: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  waitingFor: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}
