import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dashboardBuild } from '../helpers/dashboard-build.js';
import { demoShop, type DemoShop } from '../helpers/demo-shop.js';
import { launch, noBrowser, serve, type Browser, type Served } from './harness.js';

/**
 * Trial 12, L5, in Chromium against the real `segmint serve`: the Overview's revenue card coloured a rise
 * from −7.00 to 40.00 red (its class followed the sign of a ratio, −671.4%). The server's answer is the
 * real one with the two windows' money set to the trial's figures, as the API now gives them (no ratio
 * to a period before of 0 or below: change null).
 */
let browser: Browser | undefined;
let shop: DemoShop | undefined;
let server: Served | undefined;

describe.skipIf(noBrowser !== undefined)('the Overview colours a revenue change by the sign of the difference', () => {
  let built: string;
  beforeAll(async () => {
    [built, shop, browser] = await Promise.all([dashboardBuild(), demoShop('segmint-change-'), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    shop?.cleanup();
  });

  it('a rise from a negative period before is green with the difference; a fall is red with its percentage', async () => {
    const key = (JSON.parse(await runCli(shop!.db, 'keys', 'create', '--read', '--json')) as { key: string }).key;
    server = await serve(shop!.db, built);
    const page = await browser!.context.newPage();
    await page.route('**/v1/overview*', async (route) => {
      const res = await route.fetch();
      const o = (await res.json()) as { revenue: { days: number; current: number; previous: number; change: number | null }[] };
      for (const w of o.revenue) Object.assign(w, w.days === 30 ? { current: 40, previous: -7, change: null } : { current: 30, previous: 40, change: -0.25 });
      await route.fulfill({ response: res, json: o });
    });
    await page.goto(server.url + '#/');
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.fill('#key', key);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=revenue-30]');
    const sub = async (days: number) => page.$eval(`[data-testid=revenue-${days}] span[class]`, (el) => ({ cls: el.className, text: el.textContent }));
    expect(await sub(30)).toEqual({ cls: 'up', text: '+47.00 vs -7.00 before' });
    expect(await sub(90)).toEqual({ cls: 'down', text: '−25.0% vs 40.00 before' });
    await page.close();
  }, 120_000);
});
