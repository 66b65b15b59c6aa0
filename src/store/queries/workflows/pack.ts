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

/** What identifies a row about one step of one run (a send, an assignment). */
export interface RunStepKey {
  run_id: string;
  step_id: string;
  workflow_id: string;
  workflow_name: string;
  version: number;
  customer_id: string;
}

/** The column kinds of RunStepKey, for packRecords. */
export const RUN_STEP_KINDS = { run_id: 'text', step_id: 'text', workflow_id: 'text', workflow_name: 'text', version: 'number', customer_id: 'text' } as const;
