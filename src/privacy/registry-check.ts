import type { Store } from '../store/db.js';
import { dropErasureScope, fillErasureScope } from '../store/queries/privacy/erase.js';
import { NON_PERSON_TABLES, PERSON_TABLES, isPersonColumn, storedTable } from '../store/queries/privacy/person-data.js';
import { checkCondition, tableColumns } from '../store/queries/privacy/schema.js';

/**
 * What is wrong with the person-data registry for this database's schema, in sentences (empty: nothing):
 * a table in neither list, a table with a person column (customer_id, email, …) that erasure would not
 * touch, a table in both lists, or a registry condition that does not run. Erasure is only as complete
 * as this registry, so test/privacy/registry.test.ts requires no problem for the whole schema.
 */
export async function registryProblems(store: Store): Promise<string[]> {
  const person = new Set(PERSON_TABLES.map(storedTable));
  const columns = await tableColumns(store);
  const tables = new Map<string, string[]>();
  for (const { table, column } of columns) tables.set(table, [...(tables.get(table) ?? []), column]);
  const problems: string[] = [];
  for (const [table, cols] of tables) {
    const personCols = cols.filter(isPersonColumn);
    const known = person.has(table);
    const declared = Object.hasOwn(NON_PERSON_TABLES, table);
    if (known && declared) problems.push(`${table} is both in PERSON_TABLES and NON_PERSON_TABLES.`);
    if (!known && personCols.length > 0) {
      problems.push(
        `${table} has a person column (${personCols.join(', ')}) but is not in the person-data registry: erasure would leave its rows. ` +
          `Add byCustomer('${table}') (or an entry with its own condition) to PERSON_TABLES in src/store/queries/privacy/person-data.ts.`,
      );
    } else if (!known && !declared) {
      problems.push(`${table} is in neither PERSON_TABLES nor NON_PERSON_TABLES (src/store/queries/privacy/person-data.ts): say whether it holds data about a person.`);
    }
  }
  // Each condition runs on its own (a failed statement would abort a transaction and hide the rest);
  // the empty scope tables are temporary, so only this connection sees them.
  await fillErasureScope(store, []);
  try {
    for (const entry of PERSON_TABLES) {
      if (!tables.has(storedTable(entry))) continue;
      await checkCondition(store, storedTable(entry), entry.rows).catch((e: unknown) => {
        problems.push(`The registry condition of ${entry.table} does not run: ${(e as Error).message.split('\n')[0]}`);
      });
    }
  } finally {
    await dropErasureScope(store);
  }
  return problems;
}
