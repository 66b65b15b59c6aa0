/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files also see the DOM types.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dashboardBuild } from '../helpers/dashboard-build.js';
import { DEMO_END, demoShop, type DemoShop } from '../helpers/demo-shop.js';
import { artifacts, launch, noBrowser, screenshot, seriousViolations, serve, watchConsole, type Browser, type Served } from './harness.js';

/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against a real
 * `segmint serve` on a small demo shop: every page loads without a console error, draws its charts and
 * has no serious accessibility violation; the builder underlines errors at their column and counts what
 * the CLI counts; a segment saved in the builder is in the CLI; a CSV upload imports; a read key cannot
 * save a segment. One server and one browser for the whole file. Screenshots go to test-results/.
 */
const VALID = 'orders_count >= 2 and total_spent > 100';
const retail = fileURLToPath(new URL('../fixtures/import/retail-small.csv', import.meta.url));

let shop: DemoShop;
let server: Served | undefined;
let browser: Browser | undefined;
let page: Page;
let keys: { admin: string; read: string };
let cliCount: number;
let cliOverview: { stats: { customers: number; orders: number; net_revenue: number }; revenue: { days: number; current: number }[] };
let email: string;

const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = (x: number) => x.toLocaleString('en-US');

/** A fresh load of a dashboard address (the key stays in the tab), once every request it made is answered. */
async function open(hash: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(server!.url + hash);
  await page.waitForSelector('main h1');
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 60_000 });
}

async function signIn(key: string): Promise<void> {
  await page.goto(server!.url + '#/');
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.fill('#key', key);
  await page.click('button[type=submit]');
  await page.waitForSelector('main h1:has-text("Overview")');
}

/** Every chart on the page has data and drew it: an SVG with shapes for its points. */
async function drawnCharts(): Promise<{ label: string; points: number; shapes: number }[]> {
  return page.$$eval('[data-chart]', (els) =>
    els.map((e) => ({ label: e.getAttribute('data-chart') ?? '', points: Number(e.getAttribute('data-points')), shapes: e.querySelectorAll('path').length })),
  );
}

describe.skipIf(noBrowser !== undefined)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    const [built, demo] = await Promise.all([dashboardBuild(), demoShop('segmint-dashboard-')]);
    shop = demo;
    keys = {
      admin: (JSON.parse(await runCli(shop.db, 'keys', 'create', '--admin', '--name', 'owner', '--json')) as { key: string }).key,
      read: (JSON.parse(await runCli(shop.db, 'keys', 'create', '--read', '--name', 'analyst', '--json')) as { key: string }).key,
    };
    cliCount = (JSON.parse(await runCli(shop.db, 'segments', 'preview', '--query', VALID, '--as-of', DEMO_END, '--json')) as { count: number }).count;
    cliOverview = JSON.parse(await runCli(shop.db, 'overview', '--json'));
    email = (JSON.parse(await runCli(shop.db, 'customers', 'list', '--limit', '1', '--json')) as { email: string }[])[0]!.email;
    [server, browser] = await Promise.all([serve(shop.db, built), launch()]);
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    shop?.cleanup();
  });

  it('signs in with an admin key and shows the numbers the CLI prints', async () => {
    const first = watchConsole(page);
    await signIn(keys.admin);
    await page.waitForSelector('[data-testid=stat-customers]');
    const text = (id: string) => page.$eval(`[data-testid=${id}] .stat-value`, (e) => e.textContent);
    expect(await text('stat-customers')).toBe(int(cliOverview.stats.customers));
    expect(await text('stat-orders')).toBe(int(cliOverview.stats.orders));
    expect(await text('stat-revenue')).toBe(money(cliOverview.stats.net_revenue));
    for (const w of cliOverview.revenue) expect(await text(`revenue-${w.days}`)).toBe(money(w.current));
    expect(first).toEqual([]);

    // First load of the overview with the key already in the tab: measured and printed, not asserted.
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.goto(server!.url + '#/', { waitUntil: 'commit' });
      await page.reload({ waitUntil: 'commit' });
      await page.waitForSelector('#segment-sizes [data-chart] path');
      times.push(Date.now() - t0);
    }
    const line = `first load of the overview (reload until the segment sparklines are drawn): ${times.join(' ms, ')} ms`;
    console.log(line);
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'first-load.txt'), line + '\n');
  });

  const pages: { name: string; hash: () => string; charts: number }[] = [
    { name: 'overview', hash: () => '#/', charts: 3 },
    { name: 'customers', hash: () => '#/customers', charts: 0 },
    { name: 'customer', hash: () => `#/customers/${encodeURIComponent(email)}`, charts: 1 },
    { name: 'segments', hash: () => '#/segments', charts: 3 },
    { name: 'segment', hash: () => '#/segments/repeat-buyers', charts: 1 },
    { name: 'builder', hash: () => `#/segments/new?query=${encodeURIComponent(VALID)}&asOf=${DEMO_END}`, charts: 0 },
    { name: 'describe', hash: () => '#/describe', charts: 3 },
    { name: 'predict', hash: () => '#/predict', charts: 6 },
    { name: 'data', hash: () => '#/data', charts: 1 },
    { name: 'experiments', hash: () => '#/experiments', charts: 0 },
    { name: 'experiment', hash: () => '#/experiments/winback', charts: 2 },
    { name: 'live', hash: () => '#/live', charts: 0 },
  ];

  it.each(pages)('$name: loads without console errors, draws every chart, no serious axe violation, fits a phone', async ({ name, hash, charts }) => {
    const problems = watchConsole(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(hash());
    if (name === 'builder') await page.waitForSelector('[data-testid=live-count]');
    if (name === 'customer') await page.waitForSelector('#customer-segments details');
    const drawn = await drawnCharts();
    expect(drawn.length, JSON.stringify(drawn)).toBeGreaterThanOrEqual(charts);
    for (const c of drawn) {
      expect(c.points, c.label).toBeGreaterThan(0);
      expect(c.shapes, c.label).toBeGreaterThan(0);
    }
    expect(await page.$$eval('.error-note', (e) => e.map((x) => x.textContent))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `${name}-wide`);

    await page.setViewportSize({ width: 390, height: 844 });
    // Charts redraw for the new width on the next frames.
    await page.waitForTimeout(500);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'the page scrolls sideways on a phone').toBeLessThanOrEqual(1);
    await screenshot(page, `${name}-phone`);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(problems).toEqual([]);
  });

  it('the builder underlines `toal_spent` from column 1 and lists the problem with its line and column', async () => {
    await open('#/segments/new');
    await page.click('#query');
    await page.keyboard.type('toal_spent > 1');
    const mark = await page.waitForSelector('mark.problem');
    expect(await mark.evaluate((m) => [m.getAttribute('data-line'), m.getAttribute('data-column'), m.textContent])).toEqual(['1', '1', 'toal_spent']);
    // The mark sits under the textarea's first characters: same left edge, ten characters wide.
    const geometry = await page.evaluate(() => {
      const ta = document.querySelector('#query')!;
      const cs = getComputedStyle(ta);
      const mk = document.querySelector('mark.problem')!.getBoundingClientRect();
      const probe = document.createElement('span');
      probe.style.font = cs.font;
      probe.style.position = 'absolute';
      probe.textContent = 'toal_spent';
      document.body.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      return { textLeft: ta.getBoundingClientRect().left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft), markLeft: mk.left, markWidth: mk.width, width };
    });
    expect(Math.abs(geometry.markLeft - geometry.textLeft)).toBeLessThan(1.5);
    expect(Math.abs(geometry.markWidth - geometry.width)).toBeLessThan(1.5);
    const problems = await page.$$eval('[data-testid=problem]', (e) => e.map((x) => x.textContent ?? ''));
    expect(problems[0]).toContain('Line 1, column 1');
    expect(problems[0]).toContain('did you mean `total_spent`');
    expect(await page.getAttribute('#query', 'aria-invalid')).toBe('true');
    await screenshot(page, 'builder-error');
  });

  it('completes field names from the keyboard and counts what `segmint segments preview` counts', async () => {
    await open('#/segments/new');
    await page.fill('#as-of', DEMO_END);
    await page.click('#query');
    await page.keyboard.type('orders_cou');
    await page.waitForSelector('#query-completions li[aria-selected=true]');
    expect(await page.textContent('#query-completions li[aria-selected=true] .completion-label')).toBe('orders_count');
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#query')).toBe('orders_count');
    await page.keyboard.type(VALID.slice('orders_count'.length));
    await page.keyboard.press('Escape');
    const count = await page.waitForSelector(`[data-testid=live-count][data-count="${cliCount}"]`, { timeout: 30_000 });
    expect(await count.textContent()).toBe(int(cliCount));
    expect(JSON.parse(await page.inputValue('#json'))).toMatchObject({ kind: 'and' });
    await screenshot(page, 'builder-count');
  });

  it('saves a segment from the builder (admin) and lands on its page with members counted', async () => {
    await open(`#/segments/new?query=${encodeURIComponent(VALID)}&asOf=${DEMO_END}`);
    await page.waitForSelector(`[data-testid=live-count][data-count="${cliCount}"]`, { timeout: 30_000 });
    await page.fill('#segment-name', 'builder-made');
    await page.click('button:has-text("Save and refresh")');
    await page.waitForSelector('main h1:has-text("builder-made")');
    await page.waitForSelector('[data-testid=kpi-members]');
  });

  it('a click on an RFM cell opens the builder on that cell, from the keyboard too', async () => {
    await open('#/describe');
    const cell = await page.waitForSelector('.cell-button[data-customers]:not([data-customers="0"])');
    const [r, f] = await cell.evaluate((b) => [b.getAttribute('data-r'), b.getAttribute('data-f')]);
    await cell.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('main h1:has-text("New segment")');
    expect(await page.inputValue('#query')).toBe(`rfm.r = ${r} and rfm.f = ${f}`);
  });

  it('uploads a CSV, previews its detected format and first rows, imports it with progress', async () => {
    await open('#/data');
    await page.setInputFiles('#upload-file', retail);
    await page.waitForSelector('[data-testid=upload-format]');
    expect(await page.textContent('[data-testid=upload-format]')).toContain('online-retail');
    const header = readFileSync(retail, 'utf8').split('\n')[0]!.split(',');
    expect(await page.$$eval('.preview-table thead th', (e) => e.map((x) => x.textContent))).toEqual(header);
    await page.click('button:has-text("Import retail-small.csv")');
    await page.waitForSelector('[data-job-state]');
    const report = await page.waitForSelector('[data-testid=import-report]', { timeout: 60_000 });
    expect(await report.textContent()).toContain('Imported retail-small.csv as online-retail');
    await page.waitForSelector('#imports td:has-text("retail-small.csv")');
    await screenshot(page, 'data-imported');
  });

  it('is usable from the keyboard: skip link, then the navigation', async () => {
    await open('#/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(() => document.activeElement?.textContent)) === 'Segments';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('main h1:has-text("Segments")');
  });

  it('a read key sees no way to save and the server refuses it anyway', async () => {
    await signIn(keys.read);
    await open(`#/segments/new?query=${encodeURIComponent(VALID)}&asOf=${DEMO_END}`);
    await page.waitForSelector(`[data-testid=live-count][data-count="${cliCount}"]`, { timeout: 30_000 });
    expect(await page.$('#segment-name')).toBeNull();
    expect(await page.textContent('#save')).toContain('needs an admin key');
    const status = await page.evaluate(async (key) => {
      const res = await fetch('/v1/segments', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'sneaky', query: 'orders_count > 0' }) });
      return res.status;
    }, keys.read);
    expect(status).toBe(403);
    await open('#/data');
    expect(await page.$('#upload-file')).toBeNull();
    await screenshot(page, 'read-key-builder');
  });

  it('a segment created in the builder appears in the CLI, and the read key created nothing', async () => {
    expect(await server!.stop()).toBe(0);
    const list = JSON.parse(await runCli(shop.db, 'segments', 'list', '--json')) as { name: string; query: string; members: number }[];
    const made = list.find((s) => s.name === 'builder-made');
    expect(made).toMatchObject({ query: VALID, members: cliCount });
    expect(list.some((s) => s.name === 'sneaky')).toBe(false);
    const imports = JSON.parse(await runCli(shop.db, 'imports', '--json')) as { imports: { file: string }[] };
    expect(imports.imports[0]!.file).toBe('retail-small.csv');
  });
});

if (noBrowser) console.warn(`dashboard browser tests skipped: ${noBrowser}`);
