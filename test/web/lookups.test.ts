import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dashboardBuild } from '../helpers/dashboard-build.js';
import { demoShop, type DemoShop } from '../helpers/demo-shop.js';
import { segmint } from '../helpers/serve.js';
import { basic } from '../server/helpers.js';
import { launch, noBrowser, serve, watchRequests, type Browser, type Served } from './harness.js';

/**
 * Task fixM14, in Chromium against the real `segmint serve` on the small demo shop:
 * - a segment's "Export CSV" note said only how many rows it wrote, not whom consent left out; it says
 *   what `segmint segments export` says, in the same words (the server's x-segmint-summary header);
 * - the customer search compared the text as typed, while identifiers are stored in NFC: a user id typed
 *   in NFD (`rene` + U+0301 + `e`, as macOS and many copy-pastes give it) found nobody.
 */
let browser: Browser | undefined;
let shop: DemoShop | undefined;
let server: Served | undefined;
let page: Page;
let requests: ReturnType<typeof watchRequests>;
let admin: string;

describe.skipIf(noBrowser !== undefined)('the dashboard says what an export left out, and finds text typed in NFD', () => {
  beforeAll(async () => {
    let built: string;
    [built, shop, browser] = await Promise.all([dashboardBuild(), demoShop('segmint-lookups-'), launch()]);
    admin = (JSON.parse(await runCli(shop.db, 'keys', 'create', '--admin', '--json')) as { key: string }).key;
    const write = (JSON.parse(await runCli(shop.db, 'keys', 'create', '--write', '--server', '--json')) as { key: string }).key;
    server = await serve(shop.db, built);
    // A shopper whose user id has an accent, sent in NFC as most systems send it.
    const sent = await fetch(`${server.url}v1/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(write) },
      body: JSON.stringify({ userId: 'renée-7'.normalize('NFC'), traits: { last_name: 'Lindqvist' } }),
    });
    expect(sent.status).toBe(200);
    page = await browser.context.newPage();
    requests = watchRequests(page);
    await page.goto(server.url + '#/');
    await page.fill('#key', admin);
    await page.click('button[type=submit]');
    await page.waitForSelector('main h1:has-text("Overview")');
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    shop?.cleanup();
  });

  it('the Export CSV note says what the CLI says: rows, members, and whom consent left out', async () => {
    // The same export by the CLI (carried out by the running server): its summary line on stderr.
    const cli = await segmint(['--db', shop!.db, 'segments', 'export', 'repeat-buyers']);
    expect(cli.code).toBe(0);
    const line = cli.stderr.trim();
    expect(line).toMatch(/^wrote \d+ rows for \d+ members; consent for email: left out \d+ who denied it and \d+ with no decision recorded$/);

    await page.goto(server!.url + '#/segments/repeat-buyers');
    await requests.settled();
    await page.click('button:has-text("Export CSV")');
    const note = await page.waitForSelector('p[role=status]:has-text("Exported")');
    expect(await note.textContent()).toBe(`Exported repeat-buyers.csv: ${line}.`);
  }, 120_000);

  it('a search typed in NFD finds the customer whose user id is stored in NFC', async () => {
    await page.goto(server!.url + '#/customers');
    await requests.settled();
    await page.fill('#customer-search', 'renée'.normalize('NFD'));
    await page.click('form[role=search] button[type=submit]');
    await requests.settled();
    const results = await page.waitForSelector('#results');
    const text = (await results.textContent()) ?? '';
    expect(text).not.toContain('Nobody matches');
    expect(text).toContain(`user id: ${'renée-7'.normalize('NFC')}`);
  }, 120_000);
});
