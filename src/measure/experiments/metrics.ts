import { SegmintError } from '../../domain/errors.js';
import type { MetricKind } from '../stats/metric-function.js';

/**
 * What an experiment can be judged on. Each metric is read per assigned customer over the window after
 * assignment, and compared with the same metric over the window before assignment for CUPED. `unit`
 * decides how its numbers are written; a guardrail is a metric that should not get worse.
 */
export interface MetricDefinition {
  readonly name: string;
  readonly kind: MetricKind;
  /** Outcome columns (store/queries/measure/outcomes.ts) without the _post / _pre suffix, in layout order. */
  readonly columns: readonly string[];
  readonly unit: 'rate' | 'money' | 'count';
  readonly description: string;
  /** How sentences name it: "conversion", "revenue per customer". */
  readonly label: string;
  readonly guardrail: boolean;
  /** The event whose performance is the conversion, for event:NAME metrics. */
  readonly event?: string;
}

export const STANDARD_METRICS: readonly MetricDefinition[] = [
  { name: 'conversion', label: 'conversion', kind: 'proportion', columns: ['conv'], unit: 'rate', guardrail: false, description: 'share of customers who placed an order' },
  { name: 'orders', label: 'orders per customer', kind: 'mean', columns: ['orders'], unit: 'count', guardrail: false, description: 'orders per customer' },
  { name: 'revenue', label: 'revenue per customer', kind: 'mean', columns: ['revenue'], unit: 'money', guardrail: false, description: 'net revenue per customer (orders minus refunds)' },
  { name: 'aov', label: 'average order value', kind: 'ratio', columns: ['gross', 'orders'], unit: 'money', guardrail: false, description: 'average order value: order revenue / orders' },
  { name: 'email_opens', label: 'email opens per customer', kind: 'mean', columns: ['opens'], unit: 'count', guardrail: false, description: 'email opens per customer' },
  { name: 'email_clicks', label: 'email clicks per customer', kind: 'mean', columns: ['clicks'], unit: 'count', guardrail: false, description: 'email link clicks per customer' },
  { name: 'unsubscribes', label: 'unsubscribe rate', kind: 'proportion', columns: ['unsub'], unit: 'rate', guardrail: true, description: 'share of customers who unsubscribed from email (guardrail)' },
];

const ALIASES: Record<string, string> = { average_order_value: 'aov', opens: 'email_opens', clicks: 'email_clicks', unsubscribe: 'unsubscribes' };

/**
 * The metrics named in `--metric` (comma-separated; every standard metric when absent). `event:NAME`
 * is the share of customers who performed the named event (a conversion defined by any event).
 */
export function selectMetrics(text: string | undefined, field = '--metric'): MetricDefinition[] {
  if (text === undefined || text.trim() === '') return [...STANDARD_METRICS];
  const out: MetricDefinition[] = [];
  for (const raw of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    let def: MetricDefinition | undefined;
    if (/^event:/i.test(raw)) {
      const event = raw.slice(raw.indexOf(':') + 1).trim();
      if (event === '') throw new SegmintError('invalid_metric', `${field}: "${raw}" needs an event name after "event:".`, { field, item: raw });
      def = { name: `event:${event}`, label: `"${event}" conversion`, kind: 'proportion', columns: [], unit: 'rate', guardrail: false, event, description: `share of customers who performed "${event}"` };
    } else {
      const name = ALIASES[raw.toLowerCase()] ?? raw.toLowerCase();
      def = STANDARD_METRICS.find((m) => m.name === name);
    }
    if (!def) {
      throw new SegmintError(
        'invalid_metric',
        `${field}: unknown metric "${raw}"; choose from ${STANDARD_METRICS.map((m) => m.name).join(', ')} or event:NAME.`,
        { field, item: raw },
      );
    }
    if (!out.some((m) => m.name === def.name)) out.push(def);
  }
  return out;
}

/** The outcome variables of a metric, in the order its kind's layout expects (post values, then pre). */
export function metricVariables(m: MetricDefinition, eventIndex: number): string[] {
  const cols = m.event !== undefined ? [`ev${eventIndex}`] : m.columns;
  return [...cols.map((c) => `${c}_post`), ...cols.map((c) => `${c}_pre`)];
}
