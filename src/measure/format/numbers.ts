/**
 * Numbers in plain words, written the same whatever the machine's locale (en-US digits and separators):
 * "about 1,900", "12.5%", "+2.5 points", "41.20".
 */
const en = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A whole number with thousands separators: 1900 → "1,900". */
export function count(n: number): string {
  return en(0).format(Math.round(n));
}

/** A rough count, two significant figures: 1873 → "1,900", 84 → "84", 12,345 → "12,000". */
export function about(n: number): string {
  if (!Number.isFinite(n)) return 'an unbounded number of';
  const r = Math.round(n);
  if (r < 100) return count(r);
  const scale = 10 ** (Math.floor(Math.log10(r)) - 1);
  return count(Math.round(r / scale) * scale);
}

/** A share as a percentage: 0.125 → "12.5%". */
export function percent(x: number, digits = 1): string {
  return `${en(digits).format(x * 100)}%`;
}

/** A signed share: 0.25 → "+25%", −0.031 → "−3.1%". */
export function signedPercent(x: number, digits = 1): string {
  return `${x < 0 ? '−' : '+'}${percent(Math.abs(x), digits)}`;
}

/** A plain decimal with `digits` places: 41.2 → "41.20". */
export function decimal(x: number, digits = 2): string {
  return `${x < 0 ? '−' : ''}${en(digits).format(Math.abs(x))}`;
}

/** A signed decimal: 1.5 → "+1.50". */
export function signedDecimal(x: number, digits = 2): string {
  return `${x < 0 ? '−' : '+'}${en(digits).format(Math.abs(x))}`;
}

/** A p-value as people read it: "p = 0.031", "p < 0.001". */
export function pValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}
