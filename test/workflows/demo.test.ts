import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOptions, generateDemo } from '../../src/demo/index.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { startDemoWorkflows } from '../../src/workflows/demo/index.js';
import { listWorkflows } from '../../src/workflows/manage/crud.js';
import { tempStore } from '../helpers/store.js';

/** What a newcomer sees after `segmint demo`: the ready-made workflows running, emails arriving in the local mailbox. */
describe('workflows in the demo shop', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let server: RunningServer;
  let flows: Awaited<ReturnType<typeof startDemoWorkflows>>;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await tempStore();
    await generateDemo(t.store, { ...demoOptions({ customers: 400, end: '2025-06-01' }), onProgress: () => undefined });
    server = await startServer({ store: t.store, port: 0, host: '127.0.0.1' });
    flows = await startDemoWorkflows(t.store, server, { dbPath: t.path, print: (l) => lines.push(l) });
  });
  afterAll(async () => {
    await flows.stop();
    await server.close();
    t.cleanup();
  });

  it('installs the five templates and delivers emails to the local mailbox within a minute', async () => {
    expect((await listWorkflows(t.store)).map((w) => w.name).sort()).toEqual(['abandoned-cart', 'post-purchase', 'vip-thank-you', 'welcome-series', 'win-back']);
    const end = Date.now() + 60_000;
    let files: string[] = [];
    while (Date.now() < end && files.length === 0) {
      await new Promise((r) => setTimeout(r, 250));
      files = readdirSync(flows.outbox).filter((f) => f.endsWith('.eml'));
    }
    expect(files.length).toBeGreaterThan(0);
    const mail = await simpleParser(readFileSync(join(flows.outbox, files[0]!)));
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/v1\/unsubscribe\?token=/);
    expect(String(mail.headers.get('x-segmint-workflow'))).toMatch(/^(vip-thank-you|win-back|welcome-series|abandoned-cart|post-purchase)$/);
    expect(lines.some((l) => l.includes('✉'))).toBe(true);
    // The demo's SMTP address is for its own process only: nothing about it is stored.
    expect(await t.store.one("SELECT 1 FROM settings WHERE key = 'smtp.url'")).toBeUndefined();
  });
});
