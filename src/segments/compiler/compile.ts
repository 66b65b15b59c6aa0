import type { SegmentAst } from '../ast/index.js';
import { throwIfErrors } from '../ast/index.js';
import { defaultCatalog, type Catalog } from '../catalog/catalog.js';
import { checkSegment } from '../catalog/check.js';
import { SqlBuilder } from './builder.js';
import type { Dialect } from './dialect.js';
import { duckdbDialect } from './duckdb.js';
import { conditionSql } from './condition.js';

export interface CompileOptions {
  asOf: Date;
  dialect?: Dialect;
  resolveSegment?: (name: string) => SegmentAst | undefined;
  catalog?: Catalog;
}

export interface CompiledSegment {
  readonly sql: string;
  readonly parameters: unknown[];
}

/**
 * Compiles a definition into one query returning the customer_id of every member: customers not
 * merged into another for whom the condition is TRUE at as_of. Behaviour conditions become
 * per-customer aggregates over one scan of the named events up to as_of (CTE `ev`), sequences an
 * ASOF join each; all are LEFT JOINed to customers, so the cost is a few scans, not a subquery per row.
 * Every user value, event name and JSON path is a parameter.
 */
export function compileSegment(ast: SegmentAst, opts: CompileOptions): CompiledSegment {
  const catalog = opts.catalog ?? defaultCatalog;
  throwIfErrors(checkSegment(ast, { catalog }), 'Invalid segment definition');
  const b = new SqlBuilder(opts.dialect ?? duckdbDialect, catalog, opts.asOf.getTime(), opts.resolveSegment);
  const condition = conditionSql(ast, b, { json: 'c.traits', stack: [] });
  const ctes = [...b.ctes];
  if (b.eventAggregates.length > 0) {
    const asOf = b.param(new Date(b.asOf), 'timestamp');
    const from = typeof b.scanFrom === 'number' ? ` AND e.timestamp >= ${b.param(new Date(b.scanFrom), 'timestamp')}` : '';
    const columns = b.eventAggregates.map((a) => `    ${a.sql} AS ${a.alias}`).join(',\n');
    ctes.unshift(
      `ev AS (\n  SELECT e.customer_id,\n${columns}\n  FROM events e\n` +
        `  WHERE e.customer_id IS NOT NULL AND e.timestamp <= ${asOf}${from} AND (${[...new Set(b.eventFilters)].join(' OR ')})\n` +
        `  GROUP BY e.customer_id\n)`,
    );
    b.joins.unshift('LEFT JOIN ev ON ev.customer_id = c.customer_id');
  }
  const sql =
    (ctes.length ? `WITH ${ctes.join(',\n')}\n` : '') +
    `SELECT c.customer_id\nFROM customers c\n` +
    b.joins.map((j) => `${j}\n`).join('') +
    `WHERE c.merged_into IS NULL\n  AND (${condition})`;
  return { sql, parameters: b.parameters };
}

/**
 * The where clause of a behaviour condition alone, as a boolean SQL expression over an event's
 * properties (the JSON column `json`): TRUE exactly for the events the evaluator's where test counts,
 * never NULL. Placeholders are `$1..$n`. For reading the events of one pattern in bulk (the real-time
 * engine's streams) without carrying their JSON out of the database.
 */
export function compileEventWhere(where: SegmentAst, opts: { json: string; dialect?: Dialect; catalog?: Catalog }): CompiledSegment {
  const b = new SqlBuilder(opts.dialect ?? duckdbDialect, opts.catalog ?? defaultCatalog, 0, undefined);
  const sql = conditionSql(where, b, { json: opts.json, inWhere: true, stack: [] });
  return { sql: `coalesce(${sql}, false)`, parameters: b.parameters };
}
