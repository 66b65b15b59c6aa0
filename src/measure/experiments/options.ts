import { SegmintError } from '../../domain/errors.js';

/**
 * Reads an analysis window: `30d` (days), `4w` (weeks) or a bare number of days; 1 to 3,650 days.
 * Returns whole days.
 */
export function parseWindow(text: string | undefined, field = '--window', fallback = 30): number {
  if (text === undefined || text.trim() === '') return fallback;
  const m = /^(\d{1,4})\s*([dw]?)$/i.exec(text.trim());
  const days = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'w' ? 7 : 1) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new SegmintError('invalid_window', `${field}: "${text}" is not a window such as 30d or 4w (1 to 3650 days).`, { field, value: text });
  }
  return days;
}

/** A relative lift such as `10%` or `0.1`: above 0 and below 10 (1,000%). Default 0.1. */
export function parseMde(text: string | undefined, field = '--mde'): number {
  if (text === undefined || text.trim() === '') return 0.1;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  const x = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(x > 0 && x < 10)) throw new SegmintError('invalid_mde', `${field}: "${text}" is not a relative lift such as 10% or 0.1.`, { field, value: text });
  return x;
}

/** A planned number of customers: a whole number, at least 2; undefined when not given. */
export function parsePlanned(text: string | undefined, field = '--planned'): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2) throw new SegmintError('invalid_planned', `${field}: "${text}" is not a whole number of customers (at least 2).`, { field });
  return n;
}
