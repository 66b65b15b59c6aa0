/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files also see the DOM types.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dashboardBuild } from '../helpers/dashboard-build.js';
import { DEMO_END, demoShop, type DemoShop } from '../helpers/demo-shop.js';
import { segmint } from '../helpers/serve.js';
import { artifacts, launch, noBrowser, screenshot, seriousViolations, serve, watchConsole, watchRequests, type Browser, type Served } from './harness.js';

/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against a real
 * `segmint serve` on a small demo shop: every page loads without a console error, draws its charts and
 * has no serious accessibility violation; the builder underlines errors at their column and counts what
 * the CLI counts; a segment saved in the builder is in the CLI; a CSV upload imports; a read key cannot
 * save a segment. The act pages: a customer entering a segment shows on the live page moments after their
 * event reaches /v1/track, with why; the workflow that entry starts is counted per step as the CLI counts
 * it, and can be paused; webhook deliveries to a real receiver (one answering 500) are listed with their
 * failures, and webhooks added and removed; API errors are shown in words; a read key sees the workflow
 * reports but no write control. One server and one browser for the whole file. Screenshots go to test-results/.
 */
const VALID = 'orders_count >= 2 and total_spent > 100';
const retail = fileURLToPath(new URL('../fixtures/import/retail-small.csv', import.meta.url));

let shop: DemoShop;
let server: Served | undefined;
let browser: Browser | undefined;
let page: Page;
let requests: ReturnType<typeof watchRequests>;
let keys: { admin: string; read: string };
let cliCount: number;
let cliOverview: { stats: { customers: number; orders: number; net_revenue: number }; revenue: { days: number; current: number }[] };
let email: string;
/** the real HTTP receiver of the webhooks: POSTs received per path */
let receiver: Server;
const received: Record<string, number> = {};
let hookBase: string;

/** A workflow on a segment the demo fills, with a holdout (so measurement makes an experiment of it). */
const NUDGE = {
  description: 'Nudge shoppers who start a checkout.',
  trigger: { entered: 'recent-checkouts' },
  holdout: '50%',
  steps: [{ id: 'nudge', email: { subject: 'Still thinking?', text: 'Come back. {{ unsubscribe_url }}' } }, { id: 'later', wait: '1d' }],
};

const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = (x: number) => x.toLocaleString('en-US');

/**
 * A fresh load of a dashboard address (the key stays in the tab), once every request it made is
 * answered (watchRequests: the answers themselves, not half a second of quiet after them). Pages with a live change stream keep one request open for good: for them, once the stream
 * is open, nothing is loading and every chart with data has drawn.
 */
async function open(hash: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(server!.url + hash);
  await page.waitForSelector('main h1');
  if (hash === '#/' || hash.startsWith('#/live')) {
    await page.waitForFunction(
      () =>
        document.querySelector('[data-stream]:not([data-stream=connecting])') !== null &&
        !document.querySelector('.loading') &&
        Array.from(document.querySelectorAll('[data-chart]')).every((c) => c.getAttribute('data-points') === '0' || c.querySelector('path') !== null),
      undefined,
      { timeout: 60_000 },
    );
  } else {
    await requests.settled();
  }
  await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 60_000 });
}

/** GET from the API in the test process, with the admin key. */
async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(server!.url + path.replace(/^\//, ''), { headers: { authorization: `Bearer ${keys.admin}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** Asks again until `ok` holds for the answer (the server acts in the background), up to a generous limit. */
async function until<T>(path: string, ok: (x: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const x = await apiGet<T>(path);
    if (ok(x) || i >= 600) return x;
    await new Promise((r) => setTimeout(r, 100));
  }
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
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received[req.url ?? ''] = (received[req.url ?? ''] ?? 0) + 1;
        res.writeHead(req.url === '/down' ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const flow = join(shop.dir, 'checkout-nudge.json');
    writeFileSync(flow, JSON.stringify(NUDGE));
    await runCli(shop.db, 'workflows', 'create', 'checkout-nudge', '--file', flow, '--json');
    await runCli(shop.db, 'webhooks', 'add', 'recent-checkouts', `${hookBase}/ok`, '--json');
    await runCli(shop.db, 'webhooks', 'add', 'recent-checkouts', `${hookBase}/down`, '--on', 'entered', '--json');
    [server, browser] = await Promise.all([serve(shop.db, built), launch()]);
    page = await browser.context.newPage();
    requests = watchRequests(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((r) => receiver?.close(r));
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

  it('live changes: a customer entering a segment appears moments after their event reaches /v1/track, with why', async () => {
    const problems = watchConsole(page);
    await open('#/live?segment=recent-checkouts');
    await page.waitForSelector('[data-stream=live]');
    const status = await page.evaluate(
      async ({ key, at }) => {
        const res = await fetch('/v1/track', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ userId: 'live-shopper', event: 'Checkout Started', timestamp: at, properties: { checkout_id: 'c-1' } }),
        });
        return res.status;
      },
      { key: keys.admin, at: new Date().toISOString() },
    );
    expect(status).toBe(200);
    const who = (await apiGet<{ customerId: string }>('/v1/customers/live-shopper/segments')).customerId;
    // Pushed by the stream: no reload.
    const row = await page.waitForSelector(`tr:has(a:text-is("${who}")):has([data-testid=change]:text-is("→ entered"))`, { timeout: 30_000 });
    await (await row.$('button:has-text("Why?")'))!.click();
    const why = await page.waitForSelector('[data-testid=why] .explain-tree');
    expect(await why.textContent()).toContain('performed "Checkout Started" within 30d');
    expect(await page.textContent('[data-testid=why]')).toContain('the customer is in “recent-checkouts”');
    await screenshot(page, 'live-change', { fullPage: false });
    // The overview streams the same change.
    await open('#/');
    await page.waitForSelector(`#live a:text-is("${who}")`);
    expect(problems).toEqual([]);
  });

  it('workflows: the run that entry started, counted per step and by skip reason as the CLI counts it; pause and resume', async () => {
    const problems = watchConsole(page);
    type Steps = { runs: { status: string; n: number }[]; steps: { id: string; sends: { status: string; reason: string | null; n: number }[] }[] };
    const counts = await until<Steps>('/v1/workflows/checkout-nudge/steps', (c) => c.steps[0]!.sends.length > 0);
    // The CLI (a process of its own, carried out by the running server) prints the same counts.
    const cli = await segmint(['--db', shop.db, 'workflows', 'steps', 'checkout-nudge', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(counts);
    const skip = counts.steps[0]!.sends[0]!;
    await open('#/workflows');
    await page.waitForSelector('#workflow-list a:text-is("checkout-nudge")');
    await open('#/workflows/checkout-nudge');
    expect(await page.textContent('[data-testid=runs-total] .stat-value')).toBe('1');
    const nudgeRow = await page.$eval('#workflow-steps tbody tr:first-child', (tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent));
    expect(nudgeRow.slice(0, 3)).toEqual(['nudge', 'email "Still thinking?"', '0']);
    expect(nudgeRow[4]).toBe(`email ${skip.status}${skip.reason ? ` (${skip.reason})` : ''} 1`);
    if (skip.reason) expect(await page.textContent('[data-testid=skip-reasons]')).toContain(`${skip.reason} 1`);
    expect(await page.textContent('[data-testid=workflow-experiment] h3')).toBe('workflow checkout-nudge holdout');
    await page.click('button[aria-label="Pause checkout-nudge"]');
    await page.waitForSelector('#workflow-status .status-paused');
    expect((await apiGet<{ status: string }>('/v1/workflows/checkout-nudge')).status).toBe('paused');
    await page.click('button[aria-label="Resume checkout-nudge"]');
    await page.waitForSelector('#workflow-status .status-active');
    await page.click('#workflow-runs tbody a[href*="/runs/"]');
    await page.waitForSelector('main h1:has-text("Run ")');
    await page.waitForSelector('#run-log td:text-is("entered")');
    await screenshot(page, 'workflow-run');
    expect(problems).toEqual([]);
  });

  it('webhooks: deliveries to a real receiver and the failures of one answering 500; add one, refused in words, remove it', async () => {
    const problems = watchConsole(page);
    await until<{ webhooks: { delivered: number; pending: number } }>('/v1/realtime/status', (s) => s.webhooks.delivered > 0 && (received['/down'] ?? 0) > 0);
    await open('#/webhooks');
    expect(await page.$$eval('#webhook-list tbody tr', (r) => r.length)).toBe(2);
    expect(Number((await page.textContent('[data-testid=deliveries-delivered] .stat-value'))!.replace(/,/g, ''))).toBeGreaterThan(0);
    await page.selectOption('#delivery-status', 'pending');
    // Only pending deliveries once the filtered list is in, the failing receiver's answer among them.
    await page.waitForFunction(() => {
      const statuses = Array.from(document.querySelectorAll('[data-testid=delivery-status]')).map((e) => e.textContent);
      return statuses.length > 0 && statuses.every((x) => x === 'pending');
    });
    await page.waitForSelector('#webhook-deliveries td:has-text("HTTP 500")');

    // A URL the server refuses: its words next to the form, nothing added.
    await page.selectOption('#hook-segment', 'repeat-buyers');
    await page.fill('#hook-url', 'ftp://example.com/hook');
    await page.click('button:has-text("Add webhook")');
    expect(await (await page.waitForSelector('#add-webhook .error-note')).textContent()).toContain('must start with http:// or https://');
    await page.fill('#hook-url', `${hookBase}/vip`);
    await page.click('button:has-text("Add webhook")');
    expect(await (await page.waitForSelector('[data-testid=webhook-secret]')).textContent()).toMatch(/^whsec_/);
    await page.waitForSelector('#webhook-list td:has-text("repeat-buyers")');
    await screenshot(page, 'webhooks-added');
    await page.click(`button[aria-label="Remove the webhook to ${hookBase}/vip"]`);
    await page.click('button:has-text("Remove it and its pending deliveries")');
    await page.waitForFunction(() => document.querySelectorAll('#webhook-list tbody tr').length === 2);
    expect((await apiGet<{ webhooks: unknown[] }>('/v1/webhooks')).webhooks).toHaveLength(2);
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  });

  it('shows what the API refuses in its own words: an unknown workflow, an unknown segment to follow', async () => {
    await open('#/workflows/no-such-flow');
    expect(await page.textContent('.error-note')).toContain('no-such-flow');
    await open('#/live?segment=no-such-segment');
    await page.waitForSelector('[data-stream=failed]');
    expect(await page.textContent('.error-note')).toContain('There is no segment named "no-such-segment"');
  });

  it("a customer's Explain says the moment its sentences are of, the API's asOf (recheck 12, N5)", async () => {
    await open(`#/customers/${encodeURIComponent(email)}`);
    await page.click('button:has-text("Explain these scores in words")');
    const line = await page.waitForSelector('[data-testid=explain-as-of]');
    const api = await apiGet<{ asOf: string }>(`/v1/customers/${encodeURIComponent(email)}/explain`);
    expect(await line.textContent()).toBe(`As of ${api.asOf.slice(0, 10)}:`);
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
    { name: 'workflows', hash: () => '#/workflows', charts: 0 },
    { name: 'workflow', hash: () => '#/workflows/checkout-nudge', charts: 0 },
    { name: 'webhooks', hash: () => '#/webhooks', charts: 0 },
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
    // Charts redraw for the new width on the next frames: wait until each ECharts box holds a drawing of its
    // own new width (the box clips its drawing, so this is for the screenshot; the overflow is the page's).
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('div.chart')).every((box) => {
          const svg = box.querySelector('svg');
          return svg !== null && Math.abs(svg.getBoundingClientRect().width - box.clientWidth) <= 1;
        }),
      undefined,
      { timeout: 10_000 },
    );
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

  // Trial 10, C12: errors sent a shop owner to the terminal, and a stale count stayed next to an error.
  it('builder errors are in the dashboard’s words, and a failed count clears the count before it', async () => {
    await open(`#/segments/new?query=${encodeURIComponent(VALID)}&asOf=${DEMO_END}`);
    await page.waitForSelector(`[data-testid=live-count][data-count="${cliCount}"]`, { timeout: 30_000 });
    await page.fill('#as-of', '2025-13-45');
    const asOf = await page.waitForSelector('#as-of-error', { timeout: 30_000 });
    expect(await asOf.textContent()).toMatch(/^Count as of: /);
    expect(await asOf.textContent()).not.toContain('"asOf"');
    expect(await page.$('[data-testid=live-count]')).toBeNull();
    await page.fill('#as-of', DEMO_END);
    await page.waitForSelector(`[data-testid=live-count][data-count="${cliCount}"]`, { timeout: 30_000 });
    await page.fill('#segment-name', 'builder-made');
    await page.click('button:has-text("Save and refresh")');
    const name = await page.waitForSelector('#name-error', { timeout: 30_000 });
    expect(await name.textContent()).toBe('A segment named "builder-made" already exists; choose another name, or open that segment under Segments to change it.');
    expect(await page.textContent('main')).not.toMatch(/segments update|segmint /);
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
    // Workflow reports are a read key's too, without pause or resume and without the definition;
    // webhooks are the server's to show admin keys only.
    await open('#/workflows');
    await page.waitForSelector('#workflow-list a:text-is("checkout-nudge")');
    expect(await page.$$eval('main button', (b) => b.map((x) => x.textContent))).toEqual([]);
    await open('#/workflows/checkout-nudge');
    expect(await page.textContent('[data-testid=runs-total] .stat-value')).toBe('1');
    expect(await page.textContent('#workflow-definition .needs-admin')).toContain('needs an admin key');
    expect(await page.$$eval('main button', (b) => b.map((x) => x.textContent))).toEqual([]);
    await open('#/webhooks');
    expect(await page.textContent('.needs-admin')).toContain('needs an admin key');
    expect(await page.$$eval('main button', (b) => b.map((x) => x.textContent))).toEqual([]);
    await open('#/live');
    expect(await page.$$eval('main button', (b) => [...new Set(b.map((x) => x.textContent))])).toEqual(['Why?']);
    const refused = await page.evaluate(async (key) => {
      const pause = await fetch('/v1/workflows/checkout-nudge/pause', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
      const hook = await fetch('/v1/webhooks', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ segment: 'repeat-buyers', url: 'https://example.com/x' }) });
      return [pause.status, hook.status];
    }, keys.read);
    expect(refused).toEqual([403, 403]);
    await page.goto('about:blank');
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
