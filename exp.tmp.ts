import { Store } from './src/store/db.js';
import { hitRates } from './src/store/queries/recommend-evaluate.js';
const s = await Store.open('/tmp/retail-copy.duckdb');
for (const nb of [100]) {
  const t = Date.now();
  console.log(nb, await hitRates(s, 10, { asOf: new Date('2011-09-10T12:50:00Z'), minPair: 2, neighbours: nb }), Date.now() - t);
}
s.close();
