import fc from 'fast-check';
import { Store } from './src/store/db.js';
import { compileSegment } from './src/segments/index.js';
import { definitionArb, namedSegments } from './test/segments/property/arbitraries.js';
import { asOfArb, loadWorld, worldArb } from './test/segments/property/world.js';
const store = await Store.open(':memory:');
const samples = fc.sample(fc.tuple(definitionArb, worldArb, asOfArb), { numRuns: 30, seed: 1 });
await loadWorld(store, samples[0]![1]);
for (const [ast, , t] of samples) { const q = compileSegment(ast, { asOf: new Date(t), resolveSegment: (n) => namedSegments[n] });
 const r: number[] = []; for (let i = 0; i < 3; i++) { const s = performance.now(); await store.all(q.sql, q.parameters as never); r.push(Math.round(performance.now() - s)); }
 if (Math.max(...r) > 15) console.log(r, q.sql.replace(/\s+/g, ' ').slice(0, 400)); }
// insert timing
const w = samples[1]![1];
let s = performance.now(); await store.run('DELETE FROM events');
const ev = w.flatMap((c) => c.events.map((e, i) => [`${c.id}-${i}`, 'track', e.event, c.id, null, null, new Date(e.t), new Date(e.t), e.properties === null ? null : JSON.stringify(e.properties), null, null, 'test']));
const width = 12; const values = ev.map((_, r) => `(${Array.from({ length: width }, (_, k) => `$${r * width + k + 1}`).join(', ')})`).join(', ');
s = performance.now(); await store.run(`INSERT INTO events VALUES ${values}`, ev.flat() as never); console.log('insert events', ev.length, performance.now() - s);
