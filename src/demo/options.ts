import { SegmintError } from '../domain/errors.js';
import { startOfDay } from '../domain/days.js';
import { rangeWords } from '../domain/whole-number.js';
import { readDay } from '../domain/timestamp.js';

export interface DemoOptions {
  /** People in the shop, anonymous-only visitors included (default 5,000). */
  customers: number;
  /** Length of the period in days, ending at `end` (default 365). */
  days: number;
  seed: number;
  /** End of the period (exclusive), a UTC midnight; default today's. */
  end: Date;
}

export const DEMO_DEFAULTS = { customers: 5000, days: 365, seed: 42 } as const;
export const MAX_CUSTOMERS = 10_000_000;

/** Today's midnight UTC: the default end, so a demo run today shows activity up to yesterday. */
export function todayMidnightUtc(now = new Date()): Date {
  return startOfDay(now);
}

/**
 * Checks and completes the options given by a user (flags are strings) or a program. Every problem is
 * a SegmintError naming the option.
 */
export function demoOptions(raw: { customers?: unknown; days?: unknown; seed?: unknown; end?: unknown }): DemoOptions {
  const customers = integer('--customers', raw.customers ?? DEMO_DEFAULTS.customers, 1, MAX_CUSTOMERS);
  const days = integer('--days', raw.days ?? DEMO_DEFAULTS.days, 7, 3650);
  const seed = integer('--seed', raw.seed ?? DEMO_DEFAULTS.seed, 0, 4294967295);
  return { customers, days, seed, end: endDate(raw.end) };
}

function integer(name: string, raw: unknown, min: number, max: number): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SegmintError('demo_bad_option', `${name} must be a whole number ${rangeWords(min, max)}, got ${JSON.stringify(raw)}`, { option: name, value: raw });
  }
  return n;
}

function endDate(raw: unknown): Date {
  if (raw === undefined || raw === null) return todayMidnightUtc();
  // The one rule for days from outside (readDay): 2025-02-30 is refused, not read as 2 March.
  const r = raw instanceof Date ? { ok: true as const, ms: raw.getTime() } : typeof raw === 'string' ? readDay(raw) : undefined;
  if (!r?.ok || Number.isNaN(r.ms)) {
    const why = r && !r.ok && r.problem !== 'not_iso' ? `: ${r.reason}` : `, got ${JSON.stringify(raw)}`;
    throw new SegmintError('demo_bad_option', `--end must be a date like 2025-01-31 (the period ends at its midnight UTC)${why}`, { option: '--end', value: raw });
  }
  const d = new Date(r.ms);
  // The period is made of whole UTC days.
  return todayMidnightUtc(d);
}

/** The demo's identity in the store: the same parameters are the same demo. */
export function demoId(o: DemoOptions): string {
  return `demo:seed=${o.seed}:customers=${o.customers}:days=${o.days}:end=${o.end.toISOString().slice(0, 10)}`;
}
