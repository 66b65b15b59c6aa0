import { NAME_RULES, type LineKind } from '../../../domain/line-kinds.js';
import type { Queryable } from '../../db.js';

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
 * Sets imp_rows.line_kind of the file's own lines (not the rows a format adds, which know what they
 * are): the format's rules first, then the user's overrides, which win. Codes and overrides arrive as
 * bind parameters; the name patterns are constants of the code.
 */
export async function classifyLines(tx: Queryable, rules: LineRules, overrides: readonly LineKindOverride[]): Promise<void> {
  const codes = Object.entries(rules.codes ?? {});
  if (codes.length > 0) {
    await tx.run(
      `UPDATE imp_rows SET line_kind = m.kind FROM (SELECT unnest($1::VARCHAR[]) AS code, unnest($2::VARCHAR[]) AS kind) m
       WHERE NOT synthetic AND upper(trim(imp_rows.product_id)) = m.code`,
      [codes.map(([c]) => c), codes.map(([, k]) => k)],
    );
  }
  for (const [prefix, kind] of Object.entries(rules.prefixes ?? {})) {
    await tx.run('UPDATE imp_rows SET line_kind = $2 WHERE NOT synthetic AND starts_with(upper(trim(product_id)), $1)', [prefix, kind]);
  }
  if (rules.names) {
    const cases = NAME_RULES.map(([p, k]) => `WHEN regexp_full_match(n, ${literal(p)}) THEN ${literal(k)}`).join(' ');
    await tx.run(
      `UPDATE imp_rows SET line_kind = k FROM (
         SELECT line AS l, CASE ${cases} END AS k
         FROM (SELECT line, lower(regexp_replace(trim(product_name), '\\s+', ' ', 'g')) AS n FROM imp_rows WHERE NOT synthetic AND product_name IS NOT NULL)
       ) WHERE k IS NOT NULL AND imp_rows.line = l AND NOT synthetic`,
    );
  }
  for (const o of overrides) {
    const test = o.prefix ? 'starts_with(lower(trim(x)), $1)' : 'lower(trim(x)) = $1';
    await tx.run(
      `UPDATE imp_rows SET line_kind = $2 WHERE NOT synthetic AND (${test.replace('x', 'product_id')} OR ${test.replace('x', 'product_name')})`,
      [o.match.toLowerCase(), o.kind],
    );
  }
}
