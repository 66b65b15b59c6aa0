import { defaultCatalog } from '../../src/segments/catalog/catalog.js';
import { metricFields } from '../../src/segments/catalog/metrics.js';
import { forgetRowCounts } from '../../src/store/queries/identity-columns.js';

/**
 * Set up before every file of the projects that share modules between the files of a worker
 * (`isolate: false` in vitest.config.ts): puts back the process-wide state a file may have changed, so
 * each file starts as it would in a fresh process. The one such state the tests can see is the segment
 * field catalog: the CLI and the server register the analytics and prediction fields in it at start
 * (src/fields.ts), and files that build their own catalogs from defaultCatalog expect only the customer
 * metrics there. The rest of what registers at start (experiment assignment sources) is idempotent and
 * read by name.
 *
 * The row counts that choose a primary-key lookup's plan (preferPointLookup) are kept per table name
 * for a few seconds, whatever the database: a file right after another would choose its plans by the
 * other file's database. Results never depend on it, but files that check the plan chosen
 * (test/store/point-lookup.property.test.ts, test/store/row-counts.test.ts) failed now and then.
 */
const state = defaultCatalog as unknown as { byName?: unknown };
if (!(state.byName instanceof Map)) {
  throw new Error('test/helpers/shared-modules.ts: Catalog no longer keeps its fields in byName; reset the catalog another way');
}
state.byName.clear();
defaultCatalog.register(metricFields);
forgetRowCounts();
