import { SegmintError } from '../../../domain/errors.js';
import { readDay } from '../../../domain/timestamp.js';
import { decimalNumber, rangeWords } from '../../../domain/whole-number.js';
import type { ClvGrain } from '../../../store/queries/clv.js';
import { PURCHASE_MODELS, type PurchaseModel } from '../models.js';

export type TimeUnit = 'day' | 'week';
export const UNIT_DAYS: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7 };
export { DAY_MS, startOfDay } from '../../../domain/days.js';

/**
 * A calendar day given as YYYY-MM-DD, as the UTC midnight that starts it, read by the one rule for
 * times from outside (readDay); otherwise a SegmintError `clv_bad_date` naming the option, and the
 * reason when the text is a date of a form segmint refuses (an expanded year, a day that does not exist).
 */
export function parseDay(raw: string, option: string): Date {
  const r = readDay(raw);
  if (r.ok) return new Date(r.ms);
  const why = r.problem === 'not_iso' ? `"${raw}" is not a date; write it as YYYY-MM-DD (e.g. 1997-09-30)` : r.reason;
  throw new SegmintError('clv_bad_date', `${option}: ${why}.`, { option, value: raw });
}

export function parseChoice<T extends string>(raw: string, choices: readonly T[], option: string): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new SegmintError('clv_bad_option', `${option}: "${raw}" is not one of ${choices.join(', ')}.`, { option, value: raw });
}

export const parseModel = (raw: string): PurchaseModel => parseChoice(raw, PURCHASE_MODELS, '--model');
export const parseGrain = (raw: string): ClvGrain => parseChoice(raw, ['day', 'order'] as const, '--grain');
export const parseTimeUnit = (raw: string): TimeUnit => parseChoice(raw, ['day', 'week'] as const, '--time-unit');

/**
 * A number option within [min, max], written in decimal (decimalNumber: `1e1` or `0x10` are refused);
 * otherwise a SegmintError `clv_bad_option` naming the option, the value and the range.
 */
export function parseNumber(raw: string, option: string, min: number, max: number): number {
  const v = decimalNumber(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new SegmintError('clv_bad_option', `${option}: "${raw}" must be a number ${rangeWords(min, max)}.`, { option, value: raw });
  }
  return v;
}
