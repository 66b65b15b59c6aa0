import { excerptSql } from '../../../../domain/excerpt.js';
import type { Param } from '../../../db.js';
import { rawColumn } from '../stage.js';
import { MAX_AMOUNT, MAX_AMOUNT_TEXT } from '../../../../ingest/events/orders.js';

/**
 * Building blocks for the per-format SELECTs over imp_raw. Every argument is a column position or an
 * expression built here; values from the file or the user only ever arrive as bind parameters.
 */

/** Roles a format reads, each the position of a column in the header (undefined: absent). */
export type Columns<R extends string> = Readonly<Record<R, number | undefined>>;

/**
 * Text of a column, NULL when the column is absent or the cell is empty or blank. Only blank cells are
 * trimmed here (trimming every cell of a large file is a measurable share of an import); ids go
 * through id(), and numbers and dates parse with surrounding spaces anyway.
 */
export function text(i: number | undefined): string {
  if (i === undefined) return 'NULL::VARCHAR';
  const c = rawColumn(i);
  return `CASE WHEN ${c} = '' OR (starts_with(${c}, ' ') AND trim(${c}) = '') THEN NULL ELSE ${c} END`;
}

/** An identifier cell: trimmed, NULL when empty. */
export function id(i: number | undefined): string {
  return i === undefined ? 'NULL::VARCHAR' : `NULLIF(trim(${rawColumn(i)}), '')`;
}

/** A decimal amount: plain decimal text, an optional currency sign or thousands separators are accepted. */
export function money(expr: string): string {
  return `coalesce(TRY_CAST(${expr} AS DECIMAL(18,4)), TRY_CAST(regexp_replace(${expr}, '^[$€£¥]|,', '', 'g') AS DECIMAL(18,4)))`;
}

export function number(expr: string): string {
  return `TRY_CAST(${expr} AS DOUBLE)`;
}

/**
 * A time in UTC: ISO 8601 with or without offset, `YYYY-MM-DD HH:MM:SS [+-]HHMM` (Shopify), or a bare date.
 * Times without an offset are taken as UTC. The cheap cast goes first; strptime only sees what it left.
 */
export function timestamp(expr: string): string {
  // Up to 19 characters (YYYY-MM-DD HH:MM:SS) there is no room for an offset: the plain cast is exact.
  return `CASE WHEN length(${expr}) <= 19 THEN TRY_CAST(${expr} AS TIMESTAMP) ELSE coalesce(
    TRY_CAST(TRY_CAST(${expr} AS TIMESTAMPTZ) AS TIMESTAMP),
    try_strptime(${expr}, ['%Y-%m-%d %H:%M:%S %z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M %z'])::TIMESTAMP) END`;
}

/**
 * A yes/no cell as consent: granted, denied, or NULL when the cell says nothing. `pending` (Shopify's
 * state of a sign-up not confirmed yet) is no decision either: read as denied, it would record an
 * opt-out for every customer who has not clicked the confirmation, and override an older grant.
 */
export function consent(expr: string): string {
  return `CASE WHEN lower(${expr}) IN ('yes', 'true', '1', 'y', 'subscribed', 'granted', 'opted_in') THEN 'granted'
    WHEN lower(${expr}) IN ('no', 'false', '0', 'n', 'unsubscribed', 'not_subscribed', 'denied', 'opted_out') THEN 'denied' END`;
}

/** Whether a consent cell holds a word that decides nothing (see consent). */
export function undecidedConsent(expr: string): string {
  return `lower(trim(${expr})) = 'pending'`;
}

/** Collects bind parameters while a statement is assembled; add() returns the placeholder to splice. */
export class Binds {
  readonly values: Param[] = [];
  add(v: Param): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/**
 * A JSON object from [key, expression] pairs with the NULL members dropped (merge-patch onto {} drops
 * them). Keys go in as parameters, so trait names taken from a --map are safe too.
 */
export function jsonObject(binds: Binds, pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return 'NULL::JSON';
  const args = pairs.map(([k, v]) => `${binds.add(k)}::VARCHAR, ${v}`);
  return `json_merge_patch('{}', json_object(${args.join(', ')}))`;
}

/** The first reason among (condition, reason) checks, or NULL: a row's validation error. */
export function firstError(checks: ReadonlyArray<readonly [string, string]>): string {
  if (checks.length === 0) return 'NULL::VARCHAR';
  return `CASE ${checks.map(([cond, reason]) => `WHEN ${cond} THEN ${reason}`).join(' ')} END`;
}

/**
 * A line's amount, quantity × price, computed at 38 digits: the two DECIMAL(18,4) factors multiplied at
 * their own width overflow from 10^10 on (10^14 × 10^4 does not fit 18 digits), and an import must not
 * fail on one line. Pair with amountProblem, which refuses the line when the amount is beyond the
 * amounts accepted; the amount is NULL then, so nothing overflows while the row is refused.
 */
export function lineAmount(quantity: string, price: string): string {
  return `(CAST(${quantity} AS DECIMAL(38,4)) * CAST(${price} AS DECIMAL(38,4)))`;
}

/** `amount` (any DECIMAL) as the stored DECIMAL(18,4), or NULL when beyond the amounts accepted. */
export function storedAmount(amount: string): string {
  return `CASE WHEN abs(${amount}) < ${MAX_AMOUNT_SQL} THEN CAST(${amount} AS DECIMAL(18,4)) END`;
}

/**
 * The check refusing a row whose amount is 10^12 or more in size: the limit of live order events too
 * (MAX_AMOUNT, docs/api.md "Limits"), so the store's sums never overflow. `what` says how the amount was
 * made, e.g. `line amount "Quantity" × "UnitPrice"` (column names are bound, never SQL text).
 */
export function amountProblem(binds: Binds, what: string, amount: string): [string, string] {
  return [
    `abs(${amount}) >= ${MAX_AMOUNT_SQL}`,
    `${binds.add(`${what} = `)} || CAST(CAST(${amount} AS DECIMAL(38,4)) AS VARCHAR) || ${binds.add(` is beyond the amounts accepted (less than ${MAX_AMOUNT_TEXT} in size)`)}`,
  ];
}

/**
 * Both factors below 10^5 in size: their product is below 10^10, within the amounts accepted, and
 * exact at 18 digits (DECIMAL(9,4) × DECIMAL(9,4) is DECIMAL(18,8), a 64-bit integer), so it needs
 * neither the 38-digit product nor its checks, which cost most of the time of reading a line (nearly
 * every line of a shop's file is such a line).
 */
const smallFactors = (quantity: string, price: string): string => `abs(${quantity}) < 100000 AND abs(${price}) < 100000`;

/**
 * storedAmount(lineAmount(quantity, price)), the same value: small factors (smallFactors) are
 * multiplied at 18 digits, the others at 38.
 */
export function storedLineAmount(quantity: string, price: string): string {
  return `CASE WHEN ${smallFactors(quantity, price)}
    THEN CAST(CAST(${quantity} AS DECIMAL(9,4)) * CAST(${price} AS DECIMAL(9,4)) AS DECIMAL(18,4))
    ELSE ${storedAmount(lineAmount(quantity, price))} END`;
}

/** amountProblem for quantity × price, only computed for factors that are not small (smallFactors). */
export function lineAmountProblem(binds: Binds, what: string, quantity: string, price: string): [string, string] {
  const [cond, reason] = amountProblem(binds, what, lineAmount(quantity, price));
  return [`NOT (${smallFactors(quantity, price)}) AND ${cond}`, reason];
}

/** MAX_AMOUNT as an SQL literal (a number of our own, never user text). */
export const MAX_AMOUNT_SQL = String(MAX_AMOUNT);

/** A reason naming the offending column (its header name, bound) and the value found there. */
export function badValue(binds: Binds, what: string, column: string, expr: string): string {
  return `${binds.add(`${what} in column "${column}": `)} || coalesce(${excerptSql(expr)}, '(empty)')`;
}

/** A reason naming a required column whose cell is empty. */
export function emptyValue(binds: Binds, column: string): string {
  return binds.add(`empty "${column}"`);
}
