import { NAME_RULES, type LineKind } from '../../../domain/line-kinds.js';
import type { Binds } from './rows/sql.js';

/** How a format tells what its lines are, beyond what its rows already say (domain/line-kinds.ts). */
export interface LineRules {
  /** product ids (upper-cased) that are not products */
  readonly codes?: Readonly<Record<string, LineKind>>;
  /** product id prefixes (upper-cased) that are not products */
  readonly prefixes?: Readonly<Record<string, LineKind>>;
  /** whether the name rules apply (sources without codes of their own) */
  readonly names: boolean;
}

/** One --line-kind: lines whose product id or name is `match` (case-insensitive; a prefix when `prefix`) are `kind`. */
export interface LineKindOverride {
  readonly match: string;
  readonly prefix: boolean;
  readonly kind: LineKind;
}

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * The rules' SQL for fillRows: the expression of a row's kind, over the row's columns and the `keys`
 * (alias → expression), which are computed once per row beneath it rather than once per rule.
 */
export interface LineKindSql {
  readonly expr: string;
  readonly keys: Readonly<Record<string, string>>;
}

/** A product name as the name rules see it (trimmed, inner spaces as one, lower case). */
const NAME_KEY = "lower(regexp_replace(trim(product_name), '\\s+', ' ', 'g'))";
/** A product id as the codes and prefixes see it. */
const CODE_KEY = 'upper(trim(product_id))';

/**
 * The line_kind of a row as it is written to imp_rows: a format's own rows (synthetic: a Shopify discount
 * or refund) keep the kind they came with; the file's lines get the first that applies of the user's
 * overrides (the last given first), the name rules (over imp_name_key, when the format uses them), the
 * product id prefixes (the last listed first), then the product codes, else the kind the format gave
 * (`base`). Codes, prefixes and overrides arrive as bind parameters; the name patterns are constants of
 * the code. Computed while the rows are written, instead of updating every row afterwards.
 */
export function lineKindSql(rules: LineRules, overrides: readonly LineKindOverride[], binds: Binds, base: string): LineKindSql {
  const whens: string[] = [];
  for (const o of [...overrides].reverse()) {
    const m = binds.add(o.match.toLowerCase());
    const test = (x: string): string => (o.prefix ? `starts_with(lower(trim(${x})), ${m})` : `lower(trim(${x})) = ${m}`);
    whens.push(`WHEN ${test('product_id')} OR ${test('product_name')} THEN ${binds.add(o.kind)}`);
  }
  if (rules.names) {
    for (const [p, k] of NAME_RULES) whens.push(`WHEN regexp_full_match(imp_name_key, ${literal(p)}) THEN ${literal(k)}`);
  }
  for (const [prefix, kind] of Object.entries(rules.prefixes ?? {}).reverse()) {
    whens.push(`WHEN starts_with(imp_code_key, ${binds.add(prefix)}) THEN ${binds.add(kind)}`);
  }
  const codes = Object.entries(rules.codes ?? {});
  const byCode = codes.length === 0 ? base : `coalesce(CASE imp_code_key ${codes.map(([c, k]) => `WHEN ${binds.add(c)} THEN ${binds.add(k)}`).join(' ')} END, ${base})`;
  const keys: Record<string, string> = {};
  if (rules.names) keys.imp_name_key = NAME_KEY;
  if (codes.length > 0 || Object.keys(rules.prefixes ?? {}).length > 0) keys.imp_code_key = CODE_KEY;
  return { expr: `CASE WHEN synthetic THEN ${base} ${whens.join(' ')} ELSE ${byCode} END`, keys };
}
