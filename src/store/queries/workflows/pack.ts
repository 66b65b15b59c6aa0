import { packRows, type ColumnSpec } from '../identity-columns.js';

type Kind = ColumnSpec['type'];

/**
 * Packs row objects for a bulk statement: each named column takes the row's field of the same name
 * (`{ run_id: 'text', wake_at: 'time' }`), so a table's column list is written once.
 */
export function packRecords<R extends object>(rows: readonly R[], columns: Readonly<Partial<Record<keyof R & string, Kind>>>, firstIndex = 1) {
  const specs = Object.entries(columns).map(([name, type]) => ({ name, type, values: rows.map((r) => (r as Record<string, unknown>)[name]) }) as ColumnSpec);
  return packRows(specs, firstIndex);
}
