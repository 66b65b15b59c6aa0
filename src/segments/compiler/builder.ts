import { joinsProblem, SEGMENT_LIMITS, SegmentError, type SegmentAst } from '../ast/index.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Dialect, SqlType } from './dialect.js';

/**
 * The state of one compilation: parameters in order, the tables joined to customers, the per-customer
 * aggregates over the single scan of events, and the sequence CTEs. Aliases are generated (t1, k1,
 * a1, seq1), never taken from user text.
 */
export class SqlBuilder {
  readonly parameters: unknown[] = [];
  readonly joins: string[] = [];
  readonly ctes: string[] = [];
  /** Aggregates computed in the `ev` CTE: alias → SQL. */
  readonly eventAggregates: { alias: string; sql: string }[] = [];
  /** Event-name conditions of the aggregates, OR-ed into the scan's WHERE so it reads only those. */
  readonly eventFilters: string[] = [];
  /**
   * The earliest instant any aggregate of the scan looks at; null once one of them has no lower
   * bound. Bounding the scan by it skips most events (and their JSON) for windowed definitions.
   */
  scanFrom: number | null | undefined = undefined;
  private readonly tableAliases = new Map<string, string>();
  private consentCount = 0;
  private readonly consentAliases = new Map<string, string>();
  /** conditions compiled so far, counting those inlined from other segments */
  conditions = 0;
  private sequenceCount = 0;

  constructor(
    readonly dialect: Dialect,
    readonly catalog: Catalog,
    readonly asOf: number,
    readonly resolveSegment: ((name: string) => SegmentAst | undefined) | undefined,
  ) {}

  param(value: unknown, type: SqlType): string {
    this.parameters.push(value);
    return this.dialect.placeholder(this.parameters.length, type);
  }

  /** The alias of a catalog table, LEFT JOINed to customers by customer_id on first use. */
  table(table: string): string {
    let alias = this.tableAliases.get(table);
    if (!alias) {
      alias = `t${this.tableAliases.size + 1}`;
      this.tableAliases.set(table, alias);
      const q = this.dialect.quoteIdentifier;
      this.joins.push(`LEFT JOIN ${q(table)} ${alias} ON ${alias}.customer_id = c.customer_id`);
    }
    return alias;
  }

  /** The alias of the customer's consent row for a channel (one join per channel). */
  consent(channel: string): string {
    let alias = this.consentAliases.get(channel);
    if (alias) return alias;
    alias = `k${++this.consentCount}`;
    this.consentAliases.set(channel, alias);
    this.countJoin();
    this.joins.push(`LEFT JOIN consent ${alias} ON ${alias}.customer_id = c.customer_id AND ${alias}.channel = ${this.param(channel, 'string')}`);
    return alias;
  }

  /** Sequences and consent channels, counting those of inlined segments, stay within SEGMENT_LIMITS.joins. */
  private countJoin(): void {
    if (this.consentCount + this.sequenceCount > SEGMENT_LIMITS.joins) {
      throw new SegmentError('segment_too_large', `The definition, with the segments it uses (in segment): ${joinsProblem(this.consentCount + this.sequenceCount)}.`, undefined, {
        limit: SEGMENT_LIMITS.joins,
      });
    }
  }

  /** Adds a per-customer aggregate over the events scan; returns the column as seen from customers. */
  eventAggregate(sql: string, eventFilter: string, from: number | null): string {
    if (from === null || this.scanFrom === null) this.scanFrom = null;
    else this.scanFrom = this.scanFrom === undefined ? from : Math.min(this.scanFrom, from);
    const alias = `a${this.eventAggregates.length + 1}`;
    this.eventAggregates.push({ alias, sql });
    this.eventFilters.push(eventFilter);
    return `ev.${alias}`;
  }

  /** Adds a CTE of customer ids; returns its name, LEFT JOINed to customers. */
  sequence(sql: string): string {
    const name = `seq${++this.sequenceCount}`;
    this.countJoin();
    this.ctes.push(`${name} AS (\n${sql}\n)`);
    this.joins.push(`LEFT JOIN ${name} ON ${name}.customer_id = c.customer_id`);
    return name;
  }
}
