import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileSegment,
  evaluateSegment,
  loadCustomerState,
  parseSegment,
  unparse,
  type CustomerState,
  type SegmentAst,
} from '../../../src/segments/index.js';
import type { Param, Store } from '../../../src/store/db.js';
import { decoyOf, escapeCorpus } from '../../fixtures/segments/escape-corpus.js';
import { loadWorld, type FixtureCustomer } from '../../fixtures/segments/world.js';
import { tempStore } from '../../helpers/store.js';

/**
 * Every corpus string in every string position of a definition: it must match literally (the customer
 * holding exactly that string matches; decoys and everyone else follow a brute-force oracle written
 * with plain JavaScript string operations) and must harm nothing (all tables and rows intact).
 */

const asOf = new Date('2024-06-30T00:00:00Z');
const at = '2024-06-01T00:00:00Z';

// For corpus string i: m<i> holds it everywhere, d<i> holds its decoy everywhere.
const world: FixtureCustomer[] = escapeCorpus.flatMap((s, i) =>
  [
    [`m${i}`, s],
    [`d${i}`, decoyOf(s)],
  ].map(([id, v]) => ({
    id: id!,
    traits: { tag: v, [v!]: 'v' },
    consent: { [v!]: 'granted' as const },
    events: [
      [v!, at, { p: v }] as const,
      ['Keyed', at, { [v!]: 1 }] as const,
    ],
  })),
);

const tagOf = new Map(world.map((c) => [c.id, c.traits!.tag as string]));
const holders = (pred: (v: string) => boolean) => world.filter((c) => pred(tagOf.get(c.id)!)).map((c) => c.id).sort();

type Position = { name: string; ast: (s: string) => SegmentAst; oracle: (s: string) => string[]; segments?: (s: string) => Map<string, SegmentAst> };

const trait = (path: string[]) => ({ kind: 'trait' as const, path });
const prop = (path: string[]) => ({ kind: 'property' as const, path });

const positions: Position[] = [
  { name: 'trait value (=)', ast: (s) => ({ kind: 'compare', target: trait(['tag']), op: '=', value: s }), oracle: (s) => holders((v) => v === s) },
  { name: 'trait value (in list)', ast: (s) => ({ kind: 'in', target: trait(['tag']), values: [s, 'none-such'], negated: false }), oracle: (s) => holders((v) => v === s) },
  { name: 'contains', ast: (s) => ({ kind: 'text', target: trait(['tag']), op: 'contains', value: s }), oracle: (s) => holders((v) => v.includes(s)) },
  { name: 'starts_with', ast: (s) => ({ kind: 'text', target: trait(['tag']), op: 'starts_with', value: s }), oracle: (s) => holders((v) => v.startsWith(s)) },
  { name: 'trait path', ast: (s) => ({ kind: 'compare', target: trait([s]), op: '=', value: 'v' }), oracle: (s) => holders((v) => v === s) },
  { name: 'trait path (exists)', ast: (s) => ({ kind: 'presence', target: trait([s]), present: true }), oracle: (s) => holders((v) => v === s) },
  { name: 'event name', ast: (s) => ({ kind: 'performed', event: s }), oracle: (s) => holders((v) => v === s) },
  {
    name: 'property path',
    ast: (s) => ({ kind: 'performed', event: 'Keyed', where: { kind: 'presence', target: prop([s]), present: true } }),
    oracle: (s) => holders((v) => v === s),
  },
  {
    name: 'property value (with the event name)',
    ast: (s) => ({ kind: 'performed', event: s, where: { kind: 'compare', target: prop(['p']), op: '=', value: s } }),
    oracle: (s) => holders((v) => v === s),
  },
  {
    name: 'aggregate property path',
    ast: (s) => ({ kind: 'aggregate', fn: 'sum', property: [s], event: 'Keyed', op: '>=', value: 1 }),
    oracle: (s) => holders((v) => v === s),
  },
  { name: 'consent channel', ast: (s) => ({ kind: 'consent', channel: s, op: '=', status: 'granted' }), oracle: (s) => holders((v) => v === s) },
  {
    name: 'segment name',
    ast: (s) => ({ kind: 'in_segment', segment: s }),
    segments: (s) => new Map([[s, { kind: 'compare', target: trait(['tag']), op: '=', value: s } as SegmentAst]]),
    oracle: (s) => holders((v) => v === s),
  },
];

const NAME_POSITIONS = new Set(['trait path', 'trait path (exists)', 'property path', 'aggregate property path']);

let store: Store;
let states: CustomerState[];
let cleanup: () => void;
let before: Record<string, number>;

const counts = async (): Promise<Record<string, number>> => {
  const out: Record<string, number> = {};
  for (const t of ['customers', 'events', 'consent', 'customer_metrics', 'segments', 'identities']) {
    out[t] = (await store.one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))!.n;
  }
  return out;
};

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  await loadWorld(store, world);
  states = await Promise.all(world.map((c) => loadCustomerState(store, c.id)));
  before = await counts();
});
afterAll(() => cleanup());

describe.each(positions)('$name', (pos) => {
  it.each(escapeCorpus.map((s) => [JSON.stringify(s), s] as const))('%s matches literally in SQL and in memory', async (_label, s) => {
    const ast = pos.ast(s);
    const saved = pos.segments?.(s) ?? new Map<string, SegmentAst>();
    const resolve = (n: string) => saved.get(n);
    const expected = pos.oracle(s);
    expect(expected).toContain(`m${escapeCorpus.indexOf(s)}`);

    const { sql, parameters } = compileSegment(ast, { asOf, resolveSegment: resolve });
    const rows = await store.all<{ customer_id: string }>(`SELECT customer_id FROM (${sql}) q ORDER BY 1`, parameters as Param[]);
    expect(rows.map((r) => r.customer_id), 'SQL').toEqual(expected);

    const inMemory = states.filter((st) => evaluateSegment(ast, st, { asOf, resolveSegment: resolve }).member).map((st) => st.customerId).sort();
    expect(inMemory, 'evaluator').toEqual(expected);

  });

  // The text form carries the string too: unparse, parse back, same definition. Names (trait and
  // property paths) are written in backquotes, where the language has no escape for a line break yet;
  // such definitions are still checked above in their JSON form.
  it.each(escapeCorpus.map((s) => [JSON.stringify(s), s] as const))('%s round-trips through the text form', (_label, s) => {
    const ast = pos.ast(s);
    const text = unparse(ast);
    const back = parseSegment(text);
    if (/\n/.test(s) && NAME_POSITIONS.has(pos.name) && !back.ast) {
      // not round-tripped: a line break cannot be written inside a `backquoted name` (reported to the
      // language owner); it must then be refused with a diagnostic, never read as another definition
      expect(back.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      return;
    }
    expect(back.diagnostics.filter((d) => d.severity === 'error'), text).toEqual([]);
    expect(back.ast, text).toEqual(ast);
  });
});

it('harms nothing: every table and row is still there', async () => {
  expect(await counts()).toEqual(before);
});
