import { excerptSql } from '../../../../domain/excerpt.js';
import type { Queryable } from '../../../db.js';
import type { DateEvidence, FieldLayout, NumberEvidence, TypedField } from '../../../../ingest/import/layouts/types.js';
import type { Binds } from './sql.js';

/**
 * Numbers and dates as a file writes them, in SQL. Every pattern here is a constant of this file;
 * values and user-given formats only ever arrive as bind parameters.
 *
 * A number is read two ways: with a decimal point (`,`, a space or an apostrophe group thousands) and
 * with a decimal comma (`.`, a space or an apostrophe group thousands). A currency sign or a three-letter
 * code before or after is allowed. Thousands groups are three digits after a first group of one to three
 * that does not start with 0, so `0.001` can only be a decimal.
 */
const GROUP_SEPARATORS = "\\x{00A0}\\x{202F} ''’";
const POINT_NUMBER = `^[+-]?(?:(?:[1-9]\\d{0,2}(?:[,${GROUP_SEPARATORS}]\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+)$`;
const COMMA_NUMBER = `^[+-]?(?:(?:[1-9]\\d{0,2}(?:[.${GROUP_SEPARATORS}]\\d{3})+|\\d+)(?:,\\d+)?|,\\d+)$`;
const CURRENCY = "'^(?:[$€£¥]|[A-Z]{3})\\s*|\\s*(?:[$€£¥]|[A-Z]{3})$'";

/** The text without surrounding spaces and currency. */
const cleanNumber = (e: string): string => `regexp_replace(trim(${e}), ${CURRENCY}, '')`;

/** The value with a decimal point, or NULL when that reading does not fit the text. */
function pointReading(e: string): string {
  const s = cleanNumber(e);
  return `CASE WHEN regexp_matches(${s}, '${POINT_NUMBER}')
    THEN TRY_CAST(regexp_replace(${s}, '[,${GROUP_SEPARATORS}]', '', 'g') AS DECIMAL(18,4)) END`;
}

/** The value with a decimal comma, or NULL. */
function commaReading(e: string): string {
  const s = cleanNumber(e);
  return `CASE WHEN regexp_matches(${s}, '${COMMA_NUMBER}')
    THEN TRY_CAST(replace(regexp_replace(${s}, '[.${GROUP_SEPARATORS}]', '', 'g'), ',', '.') AS DECIMAL(18,4)) END`;
}

// A decimal separator followed by five digits: more decimals than money keeps (a thousands group has
// exactly three digits, so no readable value has five after a grouping separator).
const TOO_PRECISE = `'[.,]\\d{5}'`;

// Both matched whole (regexp_full_match). The plain forms (digits with at most one decimal point) skip
// the readings' regular expressions: nearly every value of a point-layout file is one, and casting is far
// cheaper. Any number of decimals here: too many is the precision check's to report, not this cast's.
const PLAIN_POINT = `'[+-]?\\d+(\\.\\d+)?'`;

// For number(), whose result is stored (so no rounding may hide there): digits with at most four
// decimals after a point, which a decimal-point layout reads as they are; and bare integers, which every
// layout reads as they are (no separator to tell).
const PLAIN_POINT_EXACT = `'[+-]?\\d+(\\.\\d{1,4})?'`;
const PLAIN_INTEGER = `'[+-]?\\d+'`;

/** The number under a layout, exact (DECIMAL(18,4)); NULL when unreadable or ambiguous. */
function decimalUnder(e: string, layout: FieldLayout): string {
  switch (layout.layout) {
    case 'point':
      return `CASE WHEN regexp_full_match(${e}, ${PLAIN_POINT}) THEN TRY_CAST(${e} AS DECIMAL(18,4)) ELSE ${pointReading(e)} END`;
    case 'comma':
      return commaReading(e);
    default: {
      const p = pointReading(e);
      const c = commaReading(e);
      return `(CASE WHEN ${p} IS NULL THEN ${c} WHEN ${c} IS NULL OR ${p} = ${c} THEN ${p} END)`;
    }
  }
}

/**
 * The number under a layout by its readings alone, DECIMAL(18,4): NULL when unreadable, ambiguous or
 * more precise than 4 decimals. ValueReader.number gives the same value, casting the plain forms directly.
 */
export function numberByReadings(e: string, layout: FieldLayout): string {
  return `CASE WHEN NOT regexp_matches(${e}, ${TOO_PRECISE}) THEN TRY_CAST(${decimalUnder(e, layout)} AS DECIMAL(18,4)) END`;
}

/** True when both readings fit the text and disagree (only asked where the layout does not decide). */
function ambiguousNumber(e: string, layout: FieldLayout): string {
  if (layout.layout === 'point' || layout.layout === 'comma') return 'false';
  return `coalesce(${pointReading(e)} <> ${commaReading(e)}, false)`;
}

/**
 * Dates: year first (2024-05-01, 2024/05/01, 20240501) or day/month first with a four-digit year
 * (01.05.2024, 5/1/2024), each with an optional time (HH:MM[:SS[.ffffff]], AM/PM) and offset (Z, UTC,
 * +02:00, -0500). No offset means UTC.
 */
const DATE =
  '^(?:(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})|(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4})|(\\d{4})(\\d{2})(\\d{2}))' +
  '(?:(?:[T ]|,\\s*)(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,6}))?)?)?\\s*([AaPp][Mm])?\\s*(Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)?$';
const PARTS = "['y1','m1','d1','a','b','y2','y3','m3','d3','hh','mi','ss','ff','ampm','tz']";

/** The parts of a date text (a struct of strings, '' where absent; all '' when it does not match). */
const parts = (e: string): string => `regexp_extract(trim(${e}), '${DATE}', ${PARTS})`;

/**
 * `body` (an expression over the struct `d` of the parts) for the text `e`. A one-element lambda rather
 * than a subquery: the parts are extracted once per value, and only for the rows that reach it.
 */
const withParts = (e: string, body: string): string => `list_transform([${parts(e)}], d -> ${body})[1]`;

/** A timestamp from parts given month and day expressions (over the struct `d`); NULL when invalid. */
function timestampOf(month: string, day: string): string {
  const hour = `CASE WHEN d.ampm = '' THEN coalesce(TRY_CAST(nullif(d.hh, '') AS INTEGER), 0)
      WHEN TRY_CAST(d.hh AS INTEGER) BETWEEN 1 AND 12 THEN TRY_CAST(d.hh AS INTEGER) % 12 + CASE WHEN upper(d.ampm) = 'PM' THEN 12 ELSE 0 END
      ELSE 99 END`;
  const text = `concat_ws('', coalesce(nullif(d.y1, ''), nullif(d.y2, ''), d.y3), '-', lpad(${month}, 2, '0'), '-', lpad(${day}, 2, '0'), ' ',
      lpad((${hour})::VARCHAR, 2, '0'), ':', coalesce(nullif(d.mi, ''), '00'), ':', coalesce(nullif(d.ss, ''), '00'),
      CASE WHEN d.ff <> '' THEN '.' || d.ff ELSE '' END)`;
  const offsetMinutes = `CASE WHEN d.tz IN ('', 'Z', 'UTC', 'GMT') THEN 0
      ELSE (CASE WHEN starts_with(d.tz, '-') THEN -1 ELSE 1 END) *
        (TRY_CAST(substr(d.tz, 2, 2) AS INTEGER) * 60 + coalesce(TRY_CAST(nullif(right(replace(d.tz, ':', ''), 2), substr(d.tz, 2, 2)) AS INTEGER), 0)) END`;
  // An AM/PM without a time, or minutes past 59 in an offset, are not dates.
  return `CASE WHEN (d.ampm <> '' AND d.hh = '') OR length(d.tz) > 3 AND TRY_CAST(right(replace(d.tz, ':', ''), 2) AS INTEGER) > 59 THEN NULL
    ELSE TRY_CAST(${text} AS TIMESTAMP) - to_minutes((${offsetMinutes})::BIGINT) END`;
}

/** Day-first and month-first readings of a day/month-first date (NULL for other forms). */
const dayFirst = timestampOf('d.b', 'd.a');
const monthFirst = timestampOf('d.a', 'd.b');
const yearFirst = timestampOf("coalesce(nullif(d.m1, ''), d.m3)", "coalesce(nullif(d.d1, ''), d.d3)");
const IS_YMD = "(d.y1 <> '' OR d.y3 <> '')";
const IS_XY = "d.y2 <> ''";

/** The time under a layout; NULL when unreadable or ambiguous. */
function timeUnder(e: string, layout: FieldLayout, binds: Binds): string {
  if (layout.type === 'date' && layout.layout === 'format') {
    return `try_strptime(trim(${e}), ${binds.add(layout.format)}::VARCHAR)::TIMESTAMP`;
  }
  const xy =
    layout.layout === 'dmy' ? dayFirst
    : layout.layout === 'mdy' ? monthFirst
    : layout.layout === 'ymd' ? 'NULL::TIMESTAMP'
    : `CASE WHEN ${dayFirst} IS NULL THEN ${monthFirst} WHEN ${monthFirst} IS NULL OR ${dayFirst} = ${monthFirst} THEN ${dayFirst} END`;
  // ISO forms of up to 19 characters cast directly, the common case of large files.
  return `CASE WHEN length(${e}) <= 19 AND regexp_full_match(${e}, '\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}(:\\d{2})?)?') THEN TRY_CAST(${e} AS TIMESTAMP)
    ELSE ${withParts(e, `CASE WHEN ${IS_YMD} THEN ${yearFirst} WHEN ${IS_XY} THEN ${xy} END`)} END`;
}

function ambiguousTime(e: string, layout: FieldLayout): string {
  if (layout.layout !== 'mixed' && layout.layout !== 'unknown') return 'false';
  return `coalesce(${withParts(e, `${IS_XY} AND ${dayFirst} <> ${monthFirst}`)}, false)`;
}

/**
 * Reads the typed columns of a file under their decided layouts, for the formats' row SELECTs: the
 * value, and the checks that name what is wrong with a row (ambiguous first, then unreadable).
 */
export class ValueReader {
  constructor(
    private readonly fields: ReadonlyMap<string, TypedField>,
    private readonly layouts: ReadonlyMap<string, FieldLayout>,
    private readonly binds: Binds,
    /** a time after this (the import's run time) is a bad value: nothing in a file happened after it was read */
    private readonly notAfter?: Date,
  ) {}

  /**
   * The value as DECIMAL(18,4), NULL when unreadable, ambiguous, or written with more than 4 decimals
   * (the store keeps 4, and rounding would change the value silently). `expr` defaults to the field's
   * own text.
   */
  number(key: string, expr?: string): string {
    const e = expr ?? this.field(key).expr;
    const layout = this.layout(key);
    // The plain forms every reading of the layout agrees on cast directly (the same value the readings
    // give, NULL past DECIMAL(18,4) alike); only the others go through the readings.
    const plain = layout.layout === 'point' ? PLAIN_POINT_EXACT : PLAIN_INTEGER;
    return `CASE WHEN regexp_full_match(${e}, ${plain}) THEN TRY_CAST(${e} AS DECIMAL(18,4)) ELSE ${numberByReadings(e, layout)} END`;
  }

  time(key: string, expr?: string): string {
    return timeUnder(expr ?? this.field(key).expr, this.layout(key), this.binds);
  }

  /**
   * (condition, reason) pairs for a row whose value of `key` is NULL after reading: `what` names the
   * value (e.g. 'not a price'); `raw` is the text expression whose value the reason quotes.
   */
  problems(key: string, value: string, what: string, raw?: string): [string, string][] {
    const f = this.field(key);
    const text = raw ?? f.expr;
    const layout = this.layout(key);
    const col = this.binds.add(f.column);
    const shown = `coalesce(${excerptSql(text)}, '(empty)')`;
    if (f.type === 'time') {
      const ambiguous = layout.type === 'date' && layout.layout !== 'format' ? ambiguousTime(text, layout) : 'false';
      return [
        [
          `${value} IS NULL AND ${ambiguous}`,
          `'ambiguous date in column "' || ${col} || '": ' || ${shown} || ' is day-first ' || ` +
            `strftime(${withParts(text, dayFirst)}, '%Y-%m-%d') || ' or month-first ' || ` +
            `strftime(${withParts(text, monthFirst)}, '%Y-%m-%d') || ', and no date of the file tells; say which with --date-format dmy or --date-format mdy'`,
        ],
        [`${value} IS NULL`, `${this.binds.add(`${what} in column "${f.column}"${describeDate(layout)}: `)} || ${shown}`],
        ...this.futureCheck(value, f.column, shown),
      ];
    }
    const checks: [string, string][] = [
      [
        `${value} IS NULL AND ${ambiguousNumber(text, layout)}`,
        `'ambiguous number in column "' || ${col} || '": ' || ${shown} || ' is ' || ${plain(commaReading(text))} || ' with a decimal comma or ' || ` +
          `${plain(pointReading(text))} || ' with a decimal point, and no value of the file tells; say which with --decimal comma or --decimal point'`,
      ],
    ];
    {
      checks.push([
        `${value} IS NULL AND regexp_matches(${text}, ${TOO_PRECISE}) AND (${decimalUnder(text, layout)}) IS NOT NULL`,
        `${this.binds.add(`more than 4 decimal places in column "${f.column}" (segmint keeps 4): `)} || ${shown}`,
      ]);
    }
    checks.push([`${value} IS NULL`, `${this.binds.add(`${what} in column "${f.column}"${describeDecimal(layout)}: `)} || ${shown}`]);
    return checks;
  }

  /** The check of a time after the import's run time (none without one): named like an unreadable date. */
  private futureCheck(value: string, column: string, shown: string): [string, string][] {
    if (this.notAfter === undefined) return [];
    const at = this.notAfter.toISOString().replace('.000Z', 'Z');
    return [[`${value} > ${this.binds.add(this.notAfter)}::TIMESTAMP`, `${this.binds.add(`a date after the import's run time (${at}) in column "${column}": `)} || ${shown}`]];
  }

  private field(key: string): TypedField {
    const f = this.fields.get(key);
    if (!f) throw new Error(`no typed field ${key}`);
    return f;
  }

  private layout(key: string): FieldLayout {
    return this.layouts.get(key) ?? (this.field(key).type === 'time' ? { type: 'date', layout: 'unknown', source: 'detected' } : { type: 'number', layout: 'unknown', source: 'detected' });
  }
}

/** A decimal as text without trailing zeros (1234.5000 → 1234.5, 1234.0000 → 1234). */
function plain(decimal: string): string {
  return `rtrim(rtrim((${decimal})::VARCHAR, '0'), '.')`;
}

function describeDecimal(l: FieldLayout): string {
  return l.layout === 'comma' ? ' (read with a decimal comma)' : l.layout === 'point' && l.source === 'option' ? ' (read with a decimal point)' : '';
}

function describeDate(l: FieldLayout): string {
  if (l.layout === 'format') return ` (read as ${l.format})`;
  return l.layout === 'dmy' ? ' (read day first)' : l.layout === 'mdy' ? ' (read month first)' : '';
}

/**
 * Counts, per typed column, the values that tell a layout and those that are ambiguous (types.ts:
 * NumberEvidence, DateEvidence): one struct `f<i>` per field, then the aggregate expressions `also` over
 * `from`, a relation with the file's raw columns (imp_raw, or the file as read: stage.ts). One row.
 *
 * Each column's values are counted over its distinct texts, each weighted by how often it occurs: a
 * file repeats its prices, quantities and dates (Online Retail: 541,909 rows, 23,260 distinct dates), so
 * the readings below run once per text instead of once per row, and the counts are the same as row by
 * row. Plain forms are classified by a cheap pattern (an ISO date; an integer, which tells nothing; a
 * number with one point and not three decimals, which only a decimal point reads); the rest is read
 * both ways. Empty values (NULL) count nowhere.
 */
export function evidenceSelect(fields: readonly TypedField[], from: string, also: readonly string[] = []): string {
  // how many rows have a text for which cond holds (0 when none)
  const rows = (cond: string): string => `coalesce(sum(ev_n) FILTER (WHERE ${cond}), 0)::BIGINT`;
  const perField = fields.map((f, i) => {
    const x = `ev_x${i}`;
    let inner: string;
    let struct: string;
    let klass: string;
    if (f.type === 'time') {
      const d = withParts(x, `{'ymd': ${IS_YMD}, 'xy': ${IS_XY}, 'dmy': ${dayFirst} IS NOT NULL, 'mdy': ${monthFirst} IS NOT NULL, 'same': ${dayFirst} = ${monthFirst}}`);
      klass = `CASE WHEN ${x} IS NOT NULL THEN regexp_full_match(${x}, '\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}(:\\d{2})?)?') END AS ev_iso`;
      inner = `ev_iso, CASE WHEN NOT ev_iso THEN ${d} END AS ev_e`;
      struct = `{'ymd': ${rows('ev_iso')} + ${rows('NOT ev_iso AND ev_e.ymd')},
          'dmy': ${rows('NOT ev_iso AND ev_e.xy AND ev_e.dmy AND NOT ev_e.mdy')},
          'mdy': ${rows('NOT ev_iso AND ev_e.xy AND ev_e.mdy AND NOT ev_e.dmy')},
          'ambiguous': ${rows('NOT ev_iso AND ev_e.xy AND ev_e.dmy AND ev_e.mdy AND NOT ev_e.same')}}`;
    } else {
      klass = `CASE WHEN ${x} IS NULL THEN NULL WHEN regexp_full_match(${x}, '[+-]?\\d+') THEN 'integer' WHEN regexp_full_match(${x}, '[+-]?\\d+\\.(\\d{1,2}|\\d{4,})') THEN 'point' ELSE 'other' END AS ev_k`;
      inner = `ev_k, CASE WHEN ev_k = 'other' THEN ${pointReading(x)} END AS ev_p, CASE WHEN ev_k = 'other' THEN ${commaReading(x)} END AS ev_c`;
      struct = `{'point': ${rows("ev_k = 'point'")} + ${rows("ev_k = 'other' AND ev_p IS NOT NULL AND ev_c IS NULL")},
        'comma': ${rows("ev_k = 'other' AND ev_c IS NOT NULL AND ev_p IS NULL")},
        'ambiguous': ${rows("ev_k = 'other' AND ev_p <> ev_c")}}`;
    }
    // innermost the distinct texts with their counts, then their classes, then the readings the classes ask for
    const texts = `SELECT ${x}, count(*) AS ev_n FROM (SELECT ${f.expr} AS ${x} FROM ${from}) GROUP BY ${x}`;
    return `(SELECT ${struct} FROM (SELECT *, ${inner} FROM (SELECT *, ${klass} FROM (${texts})))) AS f${i}`;
  });
  if (also.length === 0) return `SELECT ${perField.join(', ')}`;
  return `SELECT ${[...perField, ...also].join(', ')} FROM ${from}`;
}

/** The evidence of each field from a row of evidenceSelect's structs f0, f1, ... */
export function readEvidence(row: Readonly<Record<string, unknown>>, fields: readonly TypedField[]): Map<string, NumberEvidence | DateEvidence> {
  const out = new Map<string, NumberEvidence | DateEvidence>();
  fields.forEach((f, i) => {
    const r = Object.fromEntries(Object.entries(row[`f${i}`] as Record<string, number | bigint>).map(([k, v]) => [k, Number(v)]));
    out.set(f.key, r as unknown as NumberEvidence | DateEvidence);
  });
  return out;
}

/** One pass over imp_raw counting each typed column's evidence (evidenceSelect). */
export async function countEvidence(tx: Queryable, fields: readonly TypedField[]): Promise<Map<string, NumberEvidence | DateEvidence>> {
  if (fields.length === 0) return new Map();
  const row = (await tx.one<Record<string, unknown>>(evidenceSelect(fields, 'imp_raw')))!;
  return readEvidence(row, fields);
}
