import type { Queryable } from '../db.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
  /**
   * Run after the statements, in the same transaction, for what depends on the schema the file has:
   * migrations land in any order (migrate.ts), so a column another migration adds may not be there yet.
   */
  readonly finish?: (tx: Queryable) => Promise<void>;
}
