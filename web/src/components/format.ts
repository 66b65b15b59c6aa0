/**
 * Numbers and times as the dashboard shows them: fixed en-US grouping (so figures read the same on every
 * machine and match the CLI's), money with two decimals, times in UTC as stored.
 */
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const fmtInt = (x: number | null | undefined): string => (x === null || x === undefined || Number.isNaN(x) ? '–' : int.format(x));
export const fmtMoney = (x: number | null | undefined): string => (x === null || x === undefined || Number.isNaN(x) ? '–' : money2.format(x));
export const fmtNum = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
export const fmtPct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(digits)}%`);
export const fmtSigned = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${int.format(Math.abs(x))}`);
/**
 * A relative change as `+12.5%`; without one (the API's null: the base was 0 or below) the difference in
 * money when there is one to show (`+47.00`: trial 12, L5), else "no earlier revenue".
 */
export const fmtChange = (x: number | null | undefined, difference?: number): string => {
  if (x !== null && x !== undefined) return `${x >= 0 ? '+' : '−'}${(100 * Math.abs(x)).toFixed(1)}%`;
  if (difference === undefined || difference === 0 || Number.isNaN(difference)) return 'no earlier revenue';
  return `${difference > 0 ? '+' : '−'}${money2.format(Math.abs(difference))}`;
};

/** The class that colours a change by the sign of the difference itself, never of a ratio: `up`, `down`, or none. */
export const trendClass = (difference: number): string => (difference > 0 ? 'up' : difference < 0 ? 'down' : '');

/** `2025-05-31` for a UTC midnight, else `2025-05-31 14:03 UTC`. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = d.toISOString();
  return s.endsWith('T00:00:00.000Z') ? s.slice(0, 10) : `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

export const fmtDay = (iso: string | null | undefined): string => (iso ? new Date(iso).toISOString().slice(0, 10) : '–');

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** A customer's display name from common traits, else their email, else the id. */
export function customerName(traits: Record<string, unknown>, fallback: string): string {
  const t = (k: string) => (typeof traits[k] === 'string' ? (traits[k] as string) : '');
  const name = t('name') || [t('first_name'), t('last_name')].filter(Boolean).join(' ');
  return name || t('email') || fallback;
}
