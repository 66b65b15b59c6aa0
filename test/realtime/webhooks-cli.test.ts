import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegment } from '../../src/segments/manage/crud.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';

/** `segmint webhooks add|list|remove|deliveries` on a database no server holds. */

let db: string;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempStore();
  await createSegment(t.store, { name: 'vip', definition: { query: 'total_spent > 1000' } });
  t.store.close();
  db = t.path;
  cleanup = t.cleanup;
});
afterAll(() => cleanup());

describe('segmint webhooks', () => {
  it('adds (showing the secret once), lists, shows deliveries and removes', async () => {
    const added = await runCli(db, 'webhooks', 'add', 'vip', 'https://example.com/hooks', '--on', 'entered');
    expect(added).toMatch(/^Added whk_[0-9a-f]{16}: entries of "vip" → https:\/\/example\.com\/hooks\nSigning secret: whsec_\S{32}\n/);
    const id = /whk_[0-9a-f]{16}/.exec(added)![0];
    const list = JSON.parse(await runCli(db, 'webhooks', 'list', '--json')) as { id: string; on: string; secret: string }[];
    expect(list).toEqual([expect.objectContaining({ id, on: 'entered', secret: expect.stringMatching(/^whsec_.{4}…$/) })]);
    expect(await runCli(db, 'webhooks', 'deliveries')).toBe('No deliveries.\n');
    await expect(runCli(db, 'webhooks', 'add', 'nope', 'https://example.com')).rejects.toThrow(/There is no segment named "nope"/);
    await expect(runCli(db, 'webhooks', 'add', 'vip', 'example.com')).rejects.toThrow(/is not a URL/);
    await expect(runCli(db, 'webhooks', 'deliveries', '--status', 'lost')).rejects.toThrow(/--status must be pending, delivered or failed/);
    expect(await runCli(db, 'webhooks', 'remove', id)).toBe(`Removed ${id}.\n`);
    await expect(runCli(db, 'webhooks', 'remove', id)).rejects.toThrow(/There is no webhook/);
    expect(await runCli(db, 'status')).toMatch(/No server is running on .*: its 1 segment changes only with `segmint segments refresh`/);
  });
});
