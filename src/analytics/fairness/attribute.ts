import { SegmintError } from '../../domain/errors.js';
import { duckdbDialect } from '../../segments/compiler/duckdb.js';
import type { Queryable } from '../../store/db.js';
import { AUDIT_METRICS, metricBoundaries, type AuditMetric, type GroupingSql } from '../../store/queries/analytics/fairness.js';

/** What an audit groups customers by, resolved against the store (metric bins need the data). */
export interface Attribute {
  /** as the user wrote it, e.g. `country`, `address.country`, `total_spent:5` */
  readonly name: string;
  readonly kind: 'trait' | 'metric';
  readonly sql: GroupingSql;
  /** a group's value as the store gives it (null: missing) → its label */
  readonly label: (group: string | null) => string;
}

export const MAX_ATTRIBUTES = 5;
const DEFAULT_BINS = 4;

/**
 * Reads `--by`: comma-separated attributes, each a trait path (dotted, `traits.` optional, e.g.
 * `country`, `address.country`) or a customer metric of AUDIT_METRICS cut into bins of equal share of
 * the base (`total_spent` for quartiles, `total_spent:5` for quintiles, 2 to 10 bins). Errors name the
 * attribute and what is wrong with it.
 */
export async function resolveAttributes(db: Queryable, by: string | readonly string[]): Promise<Attribute[]> {
  const names = (typeof by === 'string' ? by.split(',') : by).map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new SegmintError('audit_no_attribute', 'Name what to group customers by, e.g. --by country or --by country,total_spent.', { field: 'by' });
  if (names.length > MAX_ATTRIBUTES) {
    throw new SegmintError('audit_too_many_attributes', `At most ${MAX_ATTRIBUTES} attributes per audit; got ${names.length}.`, { field: 'by' });
  }
  const out: Attribute[] = [];
  for (const name of names) out.push(await resolveOne(db, name));
  return out;
}

async function resolveOne(db: Queryable, name: string): Promise<Attribute> {
  const [head, binsText, ...rest] = name.split(':');
  if ((AUDIT_METRICS as readonly string[]).includes(head!) && rest.length === 0) {
    const bins = binsText === undefined ? DEFAULT_BINS : Number(binsText);
    if (!Number.isInteger(bins) || bins < 2 || bins > 10) {
      throw new SegmintError('audit_bad_bins', `--by ${name}: the number of bins after ":" is a whole number from 2 to 10.`, { field: 'by', value: name });
    }
    const metric = head as AuditMetric;
    const quantiles = Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
    const b = await metricBoundaries(db, metric, quantiles);
    const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));
    const label = (g: string | null): string => {
      if (g === null) return `(no ${metric})`;
      const i = Number(g);
      if (b.length === 0) return `${metric} (all)`;
      if (i === 0) return `${metric} ≤ ${fmt(b[0]!)}`;
      if (i >= b.length) return `${metric} > ${fmt(b[b.length - 1]!)}`;
      return `${fmt(b[i - 1]!)} < ${metric} ≤ ${fmt(b[i]!)}`;
    };
    return { name, kind: 'metric', sql: { kind: 'metric', metric, boundaries: b }, label };
  }
  const path = (name.startsWith('traits.') ? name.slice(7) : name).split('.');
  if (name.length > 200 || path.some((k) => k === '')) {
    throw new SegmintError(
      'audit_bad_attribute',
      `--by ${name}: not a trait path (dotted names such as country or address.country) nor a metric (${AUDIT_METRICS.join(', ')}).`,
      { field: 'by', value: name },
    );
  }
  const label = (g: string | null): string => (g === null ? `(no ${name})` : g);
  return { name, kind: 'trait', sql: { kind: 'trait', pointer: duckdbDialect.jsonPath(path) }, label };
}
