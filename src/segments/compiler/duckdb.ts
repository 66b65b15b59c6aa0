import { ISO_GROUPS, ISO_INSTANT_PATTERN, MAX_INSTANT, MIN_INSTANT } from '../../domain/timestamp.js';
import type { Dialect } from './dialect.js';

// Extended date-times DuckDB's TIMESTAMPTZ cast reads exactly as the timestamp rule does.
const COMMON_FORM =
  '[1-8][0-9]{3}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,3})?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?';

const sqlType = { number: 'DOUBLE', string: 'VARCHAR', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP' } as const;

/** DuckDB: `$n` placeholders, JSON pointers for paths, FILTER clauses, ASOF joins. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  quoteIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
  placeholder: (index, type) => `$${index}::${sqlType[type]}`,
  // RFC 6901: every key can be addressed, whatever characters it holds.
  jsonPath: (path) => '/' + path.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/'),
  jsonValue(json, p, type) {
    switch (type) {
      case 'number':
        // The JSON text of the value: only a JSON number reads as a double ("12" keeps its quotes and
        // fails, as do true and null). One parse instead of json_type + json_extract: 1.6× faster.
        return `TRY_CAST(CAST(json_extract(${json}, ${p}) AS VARCHAR) AS DOUBLE)`;
      case 'string':
        return `(CASE WHEN json_type(${json}, ${p}) = 'VARCHAR' THEN json_extract_string(${json}, ${p}) END)`;
      case 'boolean':
        return `(CASE WHEN json_type(${json}, ${p}) = 'BOOLEAN' THEN json_extract_string(${json}, ${p}) = 'true' END)`;
      case 'timestamp': {
        const text = `json_extract_string(${json}, ${p})`;
        // The common forms (extended, seconds written, at most 3 fraction digits, years 1000-8999 so no
        // zone can leave the range) are read by DuckDB's own cast, several times faster; the rest by the
        // full rule. Both give the instant readInstant gives (test/domain/timestamp.test.ts).
        return (
          `(CASE WHEN json_type(${json}, ${p}) <> 'VARCHAR' THEN NULL ` +
          `WHEN regexp_full_match(${text}, '${COMMON_FORM}') THEN CAST(TRY_CAST(${text} AS TIMESTAMPTZ) AS TIMESTAMP) ` +
          `ELSE ${isoInstantSql(text)} END)`
        );
      }
    }
  },
  jsonPresent: (json, p) => `coalesce(json_type(${json}, ${p}) <> 'NULL', false)`,
  toDouble: (expr) => `CAST(${expr} AS DOUBLE)`,
  epochMillis: (expr) => `CAST(epoch_ms(${expr}) AS DOUBLE)`,
  addMillis: (expr, p) => `(${expr} + to_milliseconds(CAST(${p} AS BIGINT)))`,
  contains: (a, b) => `contains(${a}, ${b})`,
  startsWith: (a, b) => `starts_with(${a}, ${b})`,
  aggregate(fn, expr, filter) {
    const f = `FILTER (WHERE ${filter})`;
    switch (fn) {
      case 'count':
        return `count(*) ${f}`;
      case 'first':
        return `min(${expr}) ${f}`;
      default:
        return `${fn}(${expr}) ${f}`;
    }
  },
  asofLeftJoin: 'ASOF LEFT JOIN',
};

/**
 * The instant a text holds under the timestamp rule of src/domain/timestamp.ts, as a TIMESTAMP (UTC), or
 * NULL: the same pattern, and the same arithmetic as readInstant, group by group, so a trait reads as the
 * same millisecond here and in the evaluator. Lambdas over one-element lists evaluate the regular
 * expression once and name its parts.
 */
function isoInstantSql(text: string): string {
  const names = [...ISO_GROUPS.map((n) => `${n}1`), ...ISO_GROUPS.map((n) => `${n}2`)];
  const groups = `regexp_extract(${text}, '${ISO_INSTANT_PATTERN}', [${names.map((n) => `'${n}'`).join(', ')}])`;
  // the groups of whichever form matched; NULL for a part not written
  const parts = ISO_GROUPS.map((n) => `${n} := CASE WHEN m.y1 <> '' THEN nullif(m.${n}1, '') ELSE nullif(m.${n}2, '') END`).join(', ');
  const int = (x: string): string => `CAST(${x} AS BIGINT)`;
  const unit = `(CASE WHEN p.s IS NOT NULL THEN 1000 WHEN p.mi IS NOT NULL THEN 60000 ELSE 3600000 END)`;
  const fraction = `coalesce(CAST(CAST(rpad(p.f, 30, '0') AS HUGEINT) * ${unit} // CAST('1${'0'.repeat(30)}' AS HUGEINT) AS BIGINT), 0)`;
  const offset = `coalesce((CASE WHEN p.sign = '-' THEN -1 ELSE 1 END) * (${int('p.oh')} * 3600000 + coalesce(${int('p.om')}, 0) * 60000), 0)`;
  const ms =
    `epoch_ms(TRY_CAST(p.y || '-' || p.mo || '-' || p.d AS DATE)) + coalesce(${int('p.h')}, 0) * 3600000 + ` +
    `coalesce(${int('p.mi')}, 0) * 60000 + coalesce(${int('p.s')}, 0) * 1000 + ${fraction} - ${offset}`;
  const impossible =
    `${int('p.h')} > 24 OR ${int('p.mi')} > 59 OR ${int('p.s')} > 59 OR ${int('p.oh')} > 23 OR ${int('p.om')} > 59 OR ` +
    `(${int('p.h')} = 24 AND (coalesce(${int('p.mi')}, 0) > 0 OR coalesce(${int('p.s')}, 0) > 0 OR regexp_matches(coalesce(p.f, ''), '[1-9]')))`;
  const instant = `list_transform([${ms}], t -> CASE WHEN t BETWEEN ${MIN_INSTANT} AND ${MAX_INSTANT} THEN epoch_ms(t) END)[1]`;
  const body = `CASE WHEN p.y IS NULL OR ${impossible} THEN NULL ELSE ${instant} END`;
  return `list_transform([${groups}], m -> list_transform([struct_pack(${parts})], p -> ${body})[1])[1]`;
}
