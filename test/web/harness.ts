/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files also see the DOM types.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Request as PageRequest } from 'playwright-core';
import { CLI } from '../helpers/serve.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Why browser tests cannot run here, or undefined when they can. */
export const noBrowser: string | undefined = existsSync(CHROMIUM)
  ? undefined
  : `Debian's chromium is not installed at ${CHROMIUM} (apt-get update && apt-get install -y chromium; .ci/run does it)`;

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots land here; the folder is git-ignored and kept as a test artifact. */
export const artifacts = join(root, 'test-results', 'dashboard');

export interface Served {
  url: string;
  stop(): Promise<number | null>;
}

/**
 * Runs the real `segmint serve` (the command as CLI in ../helpers/serve.ts runs it) on a database, on a free port,
 * serving the dashboard build in webDir. Resolves once it prints its address.
 */
export async function serve(db: string, webDir: string): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [...CLI, '--db', db, 'serve', '--port', '0', '--log-level', 'warn'], {
    env: { ...process.env, SEGMINT_WEB_DIR: webDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`segmint serve did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /segmint listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace(/\/$/, '') + '/');
      }
    });
    child.on('exit', (code) => reject(new Error(`segmint serve exited (${code}): ${stderr}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's chromium driven by playwright-core, with a fresh profile, and the page's CSP bypassed so axe-core can be injected. */
export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'segmint-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Follows the page's requests from now on; `settled()` resolves once none is unanswered (change streams,
 * which stay open for good, aside) and no loading note shows, still so after two animation frames (time
 * for the page to act on what came back, perhaps by asking for more). Playwright's 'networkidle' asks the
 * same of the network but then waits for half a second of quiet on every page load; this waits for the
 * answers themselves. Throws, naming what is still unanswered, after `timeoutMs`.
 */
export function watchRequests(page: Page): { settled(timeoutMs?: number): Promise<void> } {
  const pending = new Set<PageRequest>();
  page.on('request', (r) => {
    if (!(r.headers()['accept'] ?? '').includes('text/event-stream')) pending.add(r);
  });
  const answered = (r: PageRequest): void => void pending.delete(r);
  page.on('requestfinished', answered);
  page.on('requestfailed', answered);
  return {
    async settled(timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
        const loading = (await page.$('.loading')) !== null;
        if (pending.size === 0 && !loading) return;
        if (Date.now() > deadline) {
          const open = [...pending].map((r) => r.url()).slice(0, 3);
          throw new Error(`the page did not settle within ${timeoutMs} ms: ${pending.size} requests unanswered (${open.join(', ')})${loading ? ', a loading note showing' : ''}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/** Console errors, warnings and uncaught exceptions of a page, collected from now on. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  return problems;
}

const axeSource = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  });
}

/** The whole page, or with `fullPage: false` what the window shows (a long list's first screen). */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: opts.fullPage ?? true });
}
