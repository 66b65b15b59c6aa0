import fc from 'fast-check';
import { Store } from './src/store/db.js';
import { compileSegment } from './src/segments/index.js';
import { definitionArb, namedSegments } from './test/segments/property/arbitraries.js';
import { asOfArb, loadWorld, worldArb } from './test/segments/property/world.js';
const store = await Store.open(':memory:');
let s = performance.now(); for (let i = 0; i < 50; i++) await store.all('SELECT 1'); console.log('select1', (performance.now() - s) / 50);
s = performance.now(); for (let i = 0; i < 50; i++) await store.run('DELETE FROM events'); console.log('delete', (performance.now() - s) / 50);
const samples = fc.sample(fc.tuple(definitionArb, worldArb, asOfArb), { numRuns: 50, seed: 1 });
s = performance.now(); for (const [, w] of samples) await store.transaction(async (tx) => loadWorld(tx as never, w)); console.log('load tx', (performance.now() - s) / 50);
const times: [number, string][] = [];
for (const [ast, , t] of samples) { const q = compileSegment(ast, { asOf: new Date(t), resolveSegment: (n) => namedSegments[n] }); const s = performance.now(); await store.all(q.sql, q.parameters as never); times.push([performance.now() - s, q.sql.length + ' ' + q.parameters.length]); }
times.sort((a, b) => b[0] - a[0]); console.log(times.slice(0, 5), times.slice(-5));
