import fc from 'fast-check';
import { Store } from './src/store/db.js';
import { compileSegment, evaluateSegment } from './src/segments/index.js';
import { definitionArb, namedSegments } from './test/segments/property/arbitraries.js';
import { asOfArb, loadWorld, stateOf, worldArb } from './test/segments/property/world.js';
const store = await Store.open(':memory:');
const samples = fc.sample(fc.tuple(definitionArb, worldArb, asOfArb), { numRuns: 50, seed: 1 });
let tl = 0, tq = 0, te = 0, tc = 0;
for (const [ast, world, t] of samples) {
  let s = performance.now(); await loadWorld(store, world); tl += performance.now() - s;
  s = performance.now(); const q = compileSegment(ast, { asOf: new Date(t), resolveSegment: (n) => namedSegments[n] }); tc += performance.now() - s;
  s = performance.now(); await store.all(q.sql, q.parameters as never); tq += performance.now() - s;
  s = performance.now(); for (const c of world) evaluateSegment(ast, stateOf(c), { asOf: new Date(t), resolveSegment: (n) => namedSegments[n] }); te += performance.now() - s;
}
console.log({ load: tl / 50, query: tq / 50, evalAll: te / 50, compile: tc / 50 });
