import { runCli } from '../../helpers/cli.js';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profiles } from '../../fixtures/segments/conformance-worlds.js';
import { loadWorld } from '../../fixtures/segments/world.js';
import { CLI } from '../../helpers/serve.js';
import { tempStore } from '../../helpers/store.js';

const run = promisify(execFile);
let db: string;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = await tempStore();
  await loadWorld(t.store, profiles);
  t.store.close();
  db = t.path;
  dir = t.dir;
  cleanup = t.cleanup;
});
afterAll(() => cleanup());


describe('segmint segments (CLI)', () => {
  it('creates, previews, refreshes, lists, explains, exports and shows history', async () => {
    const preview = JSON.parse(await runCli(db, 'segments', 'preview', '--query', 'country = "DE"', '--as-of', '2024-06-30', '--json'));
    expect(preview).toMatchObject({ count: 2, base: 5 });
    expect(preview.warnings[0].code).toBe('too_small');

    await runCli(db, 'segments', 'create', 'de', '--query', 'country = "DE"', '--description', 'Germany');
    const file = join(dir, 'def.json');
    writeFileSync(file, JSON.stringify({ kind: 'compare', target: { kind: 'field', name: 'total_spent' }, op: '>', value: 1000 }));
    await runCli(db, 'segments', 'create', 'big', '--json-definition', file);
    expect(await runCli(db, 'segments', 'refresh', '--as-of', '2024-06-30')).toMatch(/big: 2 members \(\+2 entered, −0 exited\)/);
    const list = JSON.parse(await runCli(db, 'segments', 'list', '--json'));
    expect(list.map((s: { name: string; members: number }) => [s.name, s.members])).toEqual([
      ['big', 2],
      ['de', 2],
    ]);
    expect(await runCli(db, 'segments', 'show', 'big')).toContain('query:       total_spent > 1000');
    const members = JSON.parse(await runCli(db, 'segments', 'members', 'de', '--json'));
    expect(members.members.map((m: { customer_id: string }) => m.customer_id)).toEqual(['a', 'e']);
    const why = await runCli(db, 'segments', 'explain', 'de', 'b', '--as-of', '2024-06-30');
    expect(why.split('\n')[0]).toBe('b is NOT in "de" as of 2024-06-30T00:00:00.000Z');
    const out = join(dir, 'de.csv');
    await runCli(db, 'segments', 'export', 'de', '--fields', 'customer_id,country,total_spent', '--out', out);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(out, 'utf8')).toBe('customer_id,country,total_spent\na,DE,1200\ne,DE,5000\n');
    expect(await runCli(db, 'segments', 'history', 'de')).toMatch(/as of 2024-06-30T00:00:00Z {2}\+2 entered {2}−0 exited/);
    await runCli(db, 'segments', 'update', 'de', '--query', 'country = "AT"');
    await runCli(db, 'segments', 'delete', 'big');
    expect(JSON.parse(await runCli(db, 'segments', 'list', '--json'))).toHaveLength(1);
  });

  it('prints a parse error with line, column and caret, and exits with code 2', async () => {
    const failure = await run(process.execPath, [...CLI, '--db', db, 'segments', 'preview', '--query', 'orders_count >= 5 and\ntotal_spent >> 1000']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(2);
    const lines = failure!.stderr.split('\n');
    const at = lines.findIndex((l) => l.startsWith('query:2:'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('2 | total_spent >> 1000');
    expect(lines[at + 2]).toMatch(/^ {4} *\^$/);
  });
});
