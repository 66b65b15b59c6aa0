import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SegmintError } from '../../../src/domain/errors.js';
import { createSegment, deleteSegment, getSegment, listSegments, updateSegment } from '../../../src/segments/manage/crud.js';
import type { Store } from '../../../src/store/db.js';
import { tempStore } from '../../helpers/store.js';

let store: Store;
let cleanup: () => void;

beforeEach(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
});
afterEach(() => cleanup());

async function rejection(p: Promise<unknown>): Promise<SegmintError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SegmintError);
    return e as SegmintError;
  }
  throw new Error('expected a rejection');
}

describe('segment CRUD', () => {
  it('creates from text, keeps the text, the AST, description and notes', async () => {
    const s = await createSegment(store, {
      name: 'big spenders',
      definition: { query: 'total_spent > 1000   and orders_count >= 5' },
      description: 'worth a call',
      notes: 'owner: Sam',
    });
    expect(s.query).toBe('total_spent > 1000   and orders_count >= 5');
    expect(s.definition.kind).toBe('and');
    expect(s.description).toBe('worth a call');
    expect(s.notes).toBe('owner: Sam');
    expect(s.members).toBe(0);
    expect(s.refreshedAt).toBeNull();
    const again = await getSegment(store, 'big spenders');
    expect(again.definition).toEqual(s.definition);
    expect((await listSegments(store)).map((x) => x.name)).toEqual(['big spenders']);
  });

  it('creates from the JSON form and stores its text form', async () => {
    const json = { kind: 'compare', target: { kind: 'field', name: 'orders_count' }, op: '>=', value: 3 };
    const s = await createSegment(store, { name: 'repeat', definition: { json, origin: 'repeat.json' } });
    expect(s.definition).toEqual(json);
    expect(s.query).toBe('orders_count >= 3');
  });

  it('refuses JSON that is not a segment, naming the file and the path at fault', async () => {
    const json = { kind: 'compare', target: { kind: 'field', name: 'orders_count' }, op: '=>', value: 3 };
    const e = await rejection(createSegment(store, { name: 'x', definition: { json, origin: 'bad.json' } }));
    expect(e.code).toBe('segment_json_invalid');
    expect(e.message).toMatch(/^bad\.json: .* at \$\.op/);
  });

  it('refuses text that does not parse with line, column and a caret under the problem', async () => {
    const e = await rejection(createSegment(store, { name: 'x', definition: { query: 'orders_count >= 5 and\n  total_spent >> 3' } }));
    expect(e.code).toBe('segment_syntax');
    const lines = e.message.split('\n');
    const head = lines.findIndex((l) => /^query:2:\d+: error: /.test(l));
    expect(head).toBeGreaterThan(0);
    const column = Number(/^query:2:(\d+):/.exec(lines[head]!)![1]);
    expect(lines[head + 1]).toBe('2 |   total_spent >> 3');
    // the caret sits under the reported column of the source line
    expect(lines[head + 2]!.indexOf('^')).toBe('2 | '.length + column - 1);
  });

  it('refuses a duplicate name, an unknown referenced segment and a circle of references', async () => {
    await createSegment(store, { name: 'a', definition: { query: 'orders_count > 1' } });
    expect((await rejection(createSegment(store, { name: 'a', definition: { query: 'orders_count > 2' } }))).httpStatus).toBe(409);
    expect((await rejection(createSegment(store, { name: 'b', definition: { query: 'in segment "nope"' } }))).code).toBe('segment_reference_unknown');
    expect((await rejection(createSegment(store, { name: 'self', definition: { query: 'in segment "self"' } }))).code).toBe('segment_cycle');
    await createSegment(store, { name: 'b', definition: { query: 'in segment "a"' } });
    const cycle = await rejection(updateSegment(store, 'a', { definition: { query: 'in segment "b" or orders_count > 9' } }));
    expect(cycle.code).toBe('segment_cycle');
    expect(cycle.message).toContain('"a" → "b" → "a"');
  });

  it('updates definition, description and name; refuses to rename or delete a segment others use', async () => {
    await createSegment(store, { name: 'base', definition: { query: 'orders_count > 1' } });
    await createSegment(store, { name: 'user', definition: { query: 'in segment "base" and total_spent > 5' } });
    const u = await updateSegment(store, 'base', { definition: { query: 'orders_count > 2' }, description: 'repeaters' });
    expect(u.query).toBe('orders_count > 2');
    expect(u.description).toBe('repeaters');
    expect((await rejection(updateSegment(store, 'base', { name: 'renamed' }))).code).toBe('segment_in_use');
    expect((await rejection(deleteSegment(store, 'base'))).message).toContain('"user"');
    await deleteSegment(store, 'user');
    await deleteSegment(store, 'base');
    expect(await listSegments(store)).toEqual([]);
    expect((await rejection(getSegment(store, 'base'))).httpStatus).toBe(404);
  });

  it('renames a segment nobody refers to, keeping its id', async () => {
    const s = await createSegment(store, { name: 'old', definition: { query: 'orders_count > 1' } });
    const r = await updateSegment(store, 'old', { name: 'new' });
    expect(r.id).toBe(s.id);
    expect(r.query).toBe('orders_count > 1');
  });

  it('accepts names with quotes and non-Latin letters, refuses empty names and control characters', async () => {
    const name = `O'Brien "VIP" ☃ 顧客`;
    await createSegment(store, { name, definition: { query: 'orders_count > 1' } });
    await createSegment(store, { name: 'ref', definition: { query: `in segment "O'Brien \\"VIP\\" ☃ 顧客"` } });
    expect((await getSegment(store, name)).name).toBe(name);
    expect((await rejection(createSegment(store, { name: ' ', definition: { query: 'orders_count > 1' } }))).code).toBe('segment_name_invalid');
    expect((await rejection(createSegment(store, { name: 'a\nb', definition: { query: 'orders_count > 1' } }))).code).toBe('segment_name_invalid');
  });
});
