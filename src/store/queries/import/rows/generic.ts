import { LINE_KINDS } from '../../../../domain/line-kinds.js';
import type { ReaderFor } from '../../../../ingest/import/formats/types.js';
import type { TypedField } from '../../../../ingest/import/layouts/types.js';
import type { Queryable } from '../../../db.js';
import type { RowsQuery } from './schema.js';
import { amountProblem, Binds, consent, emptyValue, firstError, id, jsonObject, lineAmount, storedAmount, text, undecidedConsent } from './sql.js';

export type GenericField =
  | 'user_id' | 'email' | 'anonymous_id' | 'order_id' | 'placed_at' | 'product_id' | 'product_name'
  | 'category' | 'quantity' | 'price' | 'amount' | 'currency' | 'kind' | 'cancelled' | 'line_kind' | 'updated_at'
  | 'consent.email' | 'consent.sms' | 'consent.push' | 'consent.ads';

/** A mapped column: its position and its header name (for messages). */
export interface Mapped {
  readonly index: number;
  readonly column: string;
}

export interface GenericMapping {
  readonly fields: Partial<Record<GenericField, Mapped>>;
  readonly traits: ReadonlyArray<readonly [string, Mapped]>;
  readonly currency: string | null;
}

/** A row's amount: the mapped amount, else quantity (1 when not mapped) × price, at 38 digits. */
const LINE_AMOUNT = `coalesce(CAST(amount_raw AS DECIMAL(38,4)), ${lineAmount('qty', 'price')})`;

const REFUND_WORDS = ['refund', 'refunded', 'return', 'returned', 'cancel', 'cancelled', 'canceled', 'cancellation', 'credit'];

/**
 * Values of a mapped `kind` column known to mean a sale. Any other value that is not a refund word is a
 * sale too (docs/importing.md), but is reported (unknownKindValues): "Gutschrift" or "credit note" read
 * as a sale silently would count a refund as revenue (trial 13, L6).
 */
const SALE_WORDS = ['sale', 'sales', 'sold', 'order', 'ordered', 'purchase', 'purchased', 'paid', 'payment', 'charge', 'charged', 'complete', 'completed', 'fulfilled', 'invoice'];

/** A kind cell as the refund and sale words are compared with it: trimmed and lower-cased (NULL when empty). */
const kindWord = (m: GenericMapping): string => `lower(trim(${text(m.fields.kind?.index)}))`;

/** A value of the kind column that is neither a refund word nor a sale word: as first written, its rows and its first lines. */
export interface UnknownKindValue {
  readonly value: string;
  readonly rows: number;
  /** the first three lines of the file holding it (1-based, the header is line 1) */
  readonly lines: readonly number[];
}

/**
 * The distinct values of the mapped `kind` column (compared trimmed and lower-cased) that are neither a
 * refund word nor a sale word, in the order they first appear, each with its row count and first three
 * lines; at most `limit` values, and the number of such values in all. Reads imp_raw, so it runs after
 * staging and before dropStaging. Nothing (no query) without a kind mapping.
 */
export async function unknownKindValues(db: Queryable, m: GenericMapping, limit = 5): Promise<{ values: UnknownKindValue[]; distinct: number }> {
  if (m.fields.kind === undefined) return { values: [], distinct: 0 };
  const b = new Binds();
  const known = b.add([...REFUND_WORDS, ...SALE_WORDS]);
  const rows = await db.all<{ value: string; rows: bigint | number; lines: (bigint | number)[]; n_values: bigint | number }>(
      `WITH k AS (SELECT line, trim(${text(m.fields.kind!.index)}) AS value, ${kindWord(m)} AS word FROM imp_raw),
         u AS (SELECT word, arg_min(value, line) AS value, count(*) AS rows, list(line ORDER BY line)[1:3] AS lines, min(line) AS first
               FROM k WHERE word IS NOT NULL AND word <> '' AND NOT list_contains(${known}::VARCHAR[], word) GROUP BY word)
       SELECT value, rows, lines, (SELECT count(*) FROM u) AS n_values FROM u ORDER BY first LIMIT ${Math.max(1, Math.floor(limit))}`,
    b.values,
  );
  return {
    values: rows.map((r) => ({ value: r.value, rows: Number(r.rows), lines: r.lines.map(Number) })),
    distinct: rows.length > 0 ? Number(rows[0]!.n_values) : 0,
  };
}

/**
 * Any CSV mapped column by column. With order_id mapped, each row is an order line (price × quantity,
 * or amount) and rows sharing an order_id are one order; without it, each row only describes a
 * customer (identifiers and traits). A refund (kind says refund/return/cancel, or cancelled is true)
 * always counts negative, whatever sign the file uses; other rows keep theirs. Traits and consent
 * (consent.<channel>) of a row are dated by updated_at when mapped, else by placed_at, else by the
 * file's time (ImportOptions.exportedAt).
 */
/** The mapped columns read as numbers (quantity, price, amount) and times (placed_at). */
export function genericTyped(m: GenericMapping): TypedField[] {
  const out: TypedField[] = [];
  for (const k of ['quantity', 'price', 'amount'] as const) {
    const c = m.fields[k];
    if (c) out.push({ key: k, column: c.column, type: 'number', expr: text(c.index) });
  }
  for (const k of ['placed_at', 'updated_at'] as const) {
    const c = m.fields[k];
    if (c) out.push({ key: k, column: c.column, type: 'time', expr: text(c.index) });
  }
  return out;
}

export function genericRows(m: GenericMapping, read: ReaderFor): RowsQuery {
  const b = new Binds();
  const v = read(b);
  const f = m.fields;
  const IDS: readonly GenericField[] = ['order_id', 'user_id', 'email', 'anonymous_id', 'product_id', 'currency'];
  const col = (k: GenericField): string => (IDS.includes(k) ? id(f[k]?.index) : text(f[k]?.index));
  const orders = f.order_id !== undefined;
  const checks: [string, string][] = [];
  if (orders) {
    checks.push(['order_id IS NULL', emptyValue(b, f.order_id!.column)]);
    checks.push(...v.problems('placed_at', 'placed_at', 'not a date', 'placed_text'));
    if (f.quantity) checks.push(...v.problems('quantity', 'qty', 'not a number', 'qty_text'));
    if (f.amount) checks.push(...v.problems('amount', 'amount_raw', 'not an amount', 'amount_text'));
    else checks.push(...v.problems('price', 'price', 'not a price', 'price_text'));
    const made = f.amount ? `amount "${f.amount.column}"` : `line amount${f.quantity ? ` "${f.quantity.column}" ×` : ''} "${f.price?.column ?? 'price'}"`;
    checks.push(amountProblem(b, made, LINE_AMOUNT));
    if (f.line_kind) {
      checks.push([
        'line_kind_text IS NOT NULL AND line_kind IS NULL',
        `${b.add(`not a line kind in column "${f.line_kind.column}" (${LINE_KINDS.join(', ')}): `)} || line_kind_text`,
      ]);
    }
  } else {
    checks.push(['user_id IS NULL AND email IS NULL AND anonymous_id IS NULL', b.add('no identifier (user_id, email or anonymous_id) on this row')]);
  }
  if (f.updated_at) checks.push(...v.problems('updated_at', 'data_at', 'not a date', 'updated_text').map(([c, r]) => [`updated_text IS NOT NULL AND ${c}`, r] as [string, string]));
  const channels = (['email', 'sms', 'push', 'ads'] as const).filter((c) => f[`consent.${c}`] !== undefined);
  for (const c of channels) {
    const m2 = f[`consent.${c}`]!;
    checks.push([
      `consent_${c}_text IS NOT NULL AND consent_${c} IS NULL AND NOT ${undecidedConsent(`consent_${c}_text`)}`,
      `${b.add(`not a consent value in column "${m2.column}" (yes/no, true/false, granted/denied, subscribed/unsubscribed; pending decides nothing): `)} || consent_${c}_text`,
    ]);
  }
  const refund = f.kind
    ? `${kindWord(m)} IN (SELECT unnest(${b.add(REFUND_WORDS)}::VARCHAR[]))`
    : f.cancelled
      ? `coalesce(${consent(col('cancelled'))} = 'granted', false)`
      : 'false';
  const sql = `
    WITH src AS (
      SELECT line, ${col('order_id')} AS order_id, ${f.placed_at ? v.time('placed_at') : 'NULL::TIMESTAMP'} AS placed_at,
        ${col('placed_at')} AS placed_text, ${col('quantity')} AS qty_text, ${col('price')} AS price_text,
        ${col('amount')} AS amount_text,
        ${col('user_id')} AS user_id, ${col('email')} AS email, ${col('anonymous_id')} AS anonymous_id,
        ${col('product_id')} AS product_id, ${col('product_name')} AS product_name, ${col('category')} AS category,
        ${f.quantity ? v.number('quantity') : '1::DECIMAL(18,4)'} AS qty,
        ${f.price ? v.number('price') : 'NULL::DECIMAL(18,4)'} AS price, ${f.amount ? v.number('amount') : 'NULL::DECIMAL(18,4)'} AS amount_raw,
        upper(coalesce(${col('currency')}, ${b.add(m.currency)})) AS currency,
        ${refund} AS is_refund,
        ${col('line_kind')} AS line_kind_text,
        CASE WHEN ${col('line_kind')} IS NULL THEN 'product'
          WHEN replace(lower(trim(${col('line_kind')})), ' ', '_') IN (SELECT unnest(${b.add([...LINE_KINDS])}::VARCHAR[]))
          THEN replace(lower(trim(${col('line_kind')})), ' ', '_') END AS line_kind,
        ${jsonObject(b, m.traits.map(([name, c]) => [name, text(c.index)] as const))} AS traits,
        ${col('updated_at')} AS updated_text, ${f.updated_at ? v.time('updated_at') : 'NULL::TIMESTAMP'} AS data_at,
        ${(['email', 'sms', 'push', 'ads'] as const).map((c) => `${text(f[`consent.${c}`]?.index)} AS consent_${c}_text, ${consent(text(f[`consent.${c}`]?.index))} AS consent_${c}`).join(', ')}
      FROM imp_raw
    )
    SELECT line, ${firstError(checks)} AS error, order_id,
      CASE WHEN is_refund THEN 'refund' ELSE 'order' END AS kind, placed_at,
      product_id, product_name, category, coalesce(line_kind, 'product') AS line_kind, price, qty::DOUBLE AS quantity,
      ${storedAmount(`CASE WHEN is_refund THEN -abs(${LINE_AMOUNT}) ELSE ${LINE_AMOUNT} END`)} AS amount,
      currency, user_id, email, anonymous_id, traits, data_at, consent_email, consent_sms, consent_push, consent_ads
    FROM src`;
  return { sql, params: b.values };
}
