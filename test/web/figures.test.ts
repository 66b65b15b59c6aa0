/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so this file also sees the DOM types.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dashboardBuild } from '../helpers/dashboard-build.js';
import { DEMO_ARGS, demoShop, type DemoShop } from '../helpers/demo-shop.js';
import { launch, noBrowser, screenshot, serve, watchConsole, watchRequests, type Browser, type Served } from './harness.js';

/**
 * Trial 7, D12, in Chromium against the real `segmint serve`:
 * - the Overview's figures at the size of the Online Retail file (8,300,065.81) stay on one line in their
 *   cards at 1400 and 1024 px (they broke as `8,300,065.8` / `1`). The server's answer is the real one,
 *   with the money figures scaled up to that size: the layout is what is under test;
 * - the Predict page of a store with orders but no prediction yet shows its empty state and logs no failed request.
 */
let browser: Browser | undefined;
let shop: DemoShop | undefined;
let empty: string | undefined;
const servers: Served[] = [];

async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url + '#/');
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.fill('#key', key);
  await page.click('button[type=submit]');
  await page.waitForSelector('main h1:has-text("Overview")');
}

describe.skipIf(noBrowser !== undefined)('dashboard figures and empty states', () => {
  let built: string;
  beforeAll(async () => {
    [built, shop, browser] = await Promise.all([dashboardBuild(), demoShop('segmint-figures-'), launch()]);
    empty = mkdtempSync(join(tmpdir(), 'segmint-empty-'));
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.stop();
    shop?.cleanup();
    if (empty) rmSync(empty, { recursive: true, force: true });
  });

  it('keeps every Overview figure on one line, inside its card, at 1400 and 1024 px', async () => {
    const key = (JSON.parse(await runCli(shop!.db, 'keys', 'create', '--read', '--json')) as { key: string }).key;
    const server = await serve(shop!.db, built);
    servers.push(server);
    const page = await browser!.context.newPage();
    // The real overview, its money at the Online Retail file's scale (its net revenue is 8,300,065.81).
    await page.route('**/v1/overview*', async (route) => {
      const res = await route.fetch();
      const o = (await res.json()) as { stats: { net_revenue: number }; revenue: { current: number; previous: number }[] };
      o.stats.net_revenue = 8_300_065.81;
      for (const w of o.revenue) {
        w.current = 3_167_572.37;
        w.previous = 1_129_757.87;
      }
      await route.fulfill({ response: res, json: o });
    });
    await signIn(page, server.url, key);
    await page.waitForSelector('[data-testid=revenue-30]');
    for (const width of [1400, 1024]) {
      await page.setViewportSize({ width, height: 1000 });
      await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
      const figures = await page.$$eval('.stat-value', (els) =>
        els.map((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
          return { text: el.textContent ?? '', lines, overflow: el.scrollWidth - el.clientWidth, fontPx: parseFloat(getComputedStyle(el).fontSize) };
        }),
      );
      expect(figures.map((f) => f.text)).toContain('8,300,065.81');
      for (const f of figures) {
        expect(f.lines, `${width}px: "${f.text}" is drawn on ${f.lines} lines`).toBe(1);
        expect(f.overflow, `${width}px: "${f.text}" overflows its card`).toBeLessThanOrEqual(0);
        expect(f.fontPx, `${width}px: "${f.text}" is drawn too small to read`).toBeGreaterThanOrEqual(12);
      }
      await screenshot(page, `overview-figures-${width}`, { fullPage: false });
    }
    await page.close();
  });

  it('shows "No predictions yet" on the Predict page of a store without one, with no failed request', async () => {
    // the demo shop's orders, nothing fitted
    const db = join(empty!, 'unfitted.duckdb');
    await runCli(db, ...DEMO_ARGS);
    const key = (JSON.parse(await runCli(db, 'keys', 'create', '--admin', '--json')) as { key: string }).key;
    const server = await serve(db, built);
    servers.push(server);
    const page = await browser!.context.newPage();
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await signIn(page, server.url, key);
    const requests = watchRequests(page);
    const problems = watchConsole(page);
    await page.goto(server.url + '#/predict');
    await page.waitForSelector('main h1');
    await requests.settled();
    await page.waitForSelector('text=No predictions yet.');
    expect(problems).toEqual([]);
    expect(failed).toEqual([]);
    await page.close();
  });
});
