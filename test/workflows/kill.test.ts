import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { createApiKey } from '../../src/server/keys.js';
import { Store } from '../../src/store/db.js';
import { createWorkflow } from '../../src/workflows/manage/crud.js';
import { basic } from '../server/helpers.js';
import { startServe } from '../helpers/serve.js';
import { smtpCapture } from './helpers.js';

// Few sign-ups and short waits keep it cheap; what it proves needs only that sends are still under way
// at each kill (checked below), not volume.
const USERS = 10;
const WAIT_S = 2;

async function until(what: string, check: () => boolean, ms = 90_000, poll?: () => Promise<void>): Promise<void> {
  const end = Date.now() + ms;
  await poll?.();
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
    await poll?.();
  }
}

const killed = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

/**
 * kill -9 of `segmint serve` in the middle of sending and while runs wait: after each restart every run
 * carries on, waits that fell due while it was down run, and every email is acknowledged exactly once
 * (the one in flight at the kill was never acknowledged, so it is sent again with the same Message-ID).
 */
describe('kill -9 during sends and waits', () => {
  let dir: string;
  let db: string;
  let key: string;
  let smtp: Awaited<ReturnType<typeof smtpCapture>>;
  let server: { child: ChildProcess; url: string } | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segmint-wf-kill-'));
    db = join(dir, 'kill.duckdb');
    smtp = await smtpCapture();
    const store = await Store.open(db);
    key = (await createApiKey(store, ['admin'], 'kill test')).key;
    await setSetting(store, 'smtp.url', smtp.url);
    await setSetting(store, 'email.from', 'shop@example.com');
    await setSetting(store, 'email.frequency_cap', 'off');
    await createWorkflow(store, 'signup', {
      text: `
trigger: { event: Signed Up }
steps:
  - id: hello
    email: { subject: "Hello {{ traits.first_name }}", text: "hi" }
  - wait: ${WAIT_S}s
  - id: again
    email: { subject: "Again {{ traits.first_name }}", text: "again" }
`,
    });
    store.close();
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no email, sends none twice and resumes every run', async () => {
    server = await startServe(db);
    const batch = [];
    for (let i = 0; i < USERS; i++) {
      batch.push({ type: 'identify', userId: `k${i}`, messageId: `id-${i}`, traits: { email: `k${i}@example.com`, first_name: `K${i}`, email_consent: 'granted' } });
      batch.push({ type: 'track', userId: `k${i}`, event: 'Signed Up', messageId: `su-${i}` });
    }
    const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(key) }, body: JSON.stringify({ batch }) });
    expect(res.status).toBe(200);

    // 1. Kill while sending: hold a message unacknowledged, then kill -9.
    await until('some hellos', () => smtp.received.length >= 3);
    smtp.hold(true);
    await until('a message in flight', () => smtp.held >= 1);
    server.child.kill('SIGKILL');
    await killed(server.child);
    smtp.hold(false);
    const beforeRestart = smtp.received.length;
    expect(beforeRestart).toBeLessThan(USERS);
    // The waits of the runs already greeted fall due while the server is down.
    await new Promise((r) => setTimeout(r, WAIT_S * 1000 + 500));

    // 2. Restart; kill again while the second emails go out.
    server = await startServe(db);
    await until('some second emails', () => smtp.received.filter((m) => m.mail.subject?.startsWith('Again')).length >= 2);
    expect(smtp.received.length).toBeLessThan(2 * USERS - 1); // sends still to come, so one is in flight at the kill
    smtp.hold(true);
    const held = smtp.held;
    await until('a second message in flight', () => smtp.held > held);
    server.child.kill('SIGKILL');
    await killed(server.child);
    smtp.hold(false);

    // 3. Restart and let everything finish: every email, then every run completed (a stop leaves the
    // step after a send due for the next start, so the test waits for the runs themselves).
    server = await startServe(db);
    await until('every email', () => smtp.received.length >= 2 * USERS);
    const url = server.url;
    let open = USERS;
    await until('every run completed', () => open === 0, 30_000, async () => {
      const res = await fetch(`${url}/v1/workflows/signup/runs?status=active`, { headers: { authorization: basic(key) } });
      open = ((await res.json()) as unknown[]).length;
    });
    server.child.kill('SIGTERM');
    await killed(server.child);

    const ids = smtp.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length); // none acknowledged twice
    expect(ids).toHaveLength(2 * USERS); // none lost
    for (let i = 0; i < USERS; i++) {
      expect(smtp.received.filter((m) => m.to === `k${i}@example.com`).map((m) => m.mail.subject).sort()).toEqual([`Again K${i}`, `Hello K${i}`]);
    }
    const store = await Store.open(db);
    try {
      const runs = await store.all<{ status: string; n: number }>('SELECT status, count(*) AS n FROM workflow_runs GROUP BY status');
      expect(runs).toEqual([{ status: 'completed', n: USERS }]);
      const sends = await store.all<{ status: string; n: number }>('SELECT status, count(*) AS n FROM workflow_sends GROUP BY status');
      expect(sends).toEqual([{ status: 'sent', n: 2 * USERS }]);
      // Two sends were in flight at a kill: each was attempted twice, with the same Message-ID.
      const retried = await store.one<{ n: number }>('SELECT count(*) AS n FROM workflow_sends WHERE attempts = 2');
      expect(retried?.n).toBe(2);
    } finally {
      store.close();
    }
  });
});
