/** The types a catalog field compares as. */
export type FieldType = 'number' | 'string' | 'timestamp' | 'boolean';

/**
 * A field a segment can name. Every field lives in a table keyed by customer_id (the SQL side LEFT JOINs
 * it; the in-memory side reads the same row from CustomerState.rows[table]). Table and column names come
 * only from here, never from user text, and must be plain lower-case identifiers.
 */
export interface FieldDef {
  /** What users write: `total_spent`, `rfm.group`, `clv.p_alive`. */
  readonly name: string;
  readonly type: FieldType;
  /** One sentence for the docs and for `segmint segments fields`. */
  readonly description: string;
  readonly table: string;
  readonly column: string;
  /**
   * days_since: the field is (as_of − column) in fractional days, computed at evaluation time; the
   * column must hold a timestamp. Absent: the column's value as stored.
   */
  readonly derive?: 'days_since';
  /** The value for a customer without a row in the table (counts and sums are 0); else missing. */
  readonly default?: number | string | boolean;
}

const identifier = /^[a-z_][a-z0-9_]*$/;
const fieldName = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;

/** Refuses a definition that could put anything but a plain identifier into SQL text. */
export function validateFieldDef(def: FieldDef): void {
  if (!fieldName.test(def.name)) throw new Error(`field name ${JSON.stringify(def.name)} must be lower-case words joined by dots`);
  if (!identifier.test(def.table)) throw new Error(`field ${def.name}: table ${JSON.stringify(def.table)} is not a plain identifier`);
  if (!identifier.test(def.column)) throw new Error(`field ${def.name}: column ${JSON.stringify(def.column)} is not a plain identifier`);
  if (def.derive === 'days_since' && def.type !== 'number') throw new Error(`field ${def.name}: days_since fields are numbers`);
  if (def.default !== undefined) {
    const t = typeof def.default;
    if (t !== def.type) throw new Error(`field ${def.name}: default ${String(def.default)} is not a ${def.type}`);
  }
}
