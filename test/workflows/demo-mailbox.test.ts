import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { DemoMailbox } from '../../src/workflows/demo/mailbox.js';

/*
 * Task fixA12, item 1 (demo output): the demo's mailbox numbered its .eml files from 1 on every run, so
 * `segmint demo` run again replaced the emails of the run before, silently.
 */

const dir = mkdtempSync(join(tmpdir(), 'segmint-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo mailbox', () => {
  it('run again, numbers its emails after the ones already there and replaces none', async () => {
    writeFileSync(join(dir, '00001-welcome-series.eml'), 'earlier run\n');
    writeFileSync(join(dir, '00002-win-back.eml'), 'earlier run\n');
    const mailbox = new DemoMailbox(dir, () => undefined);
    const url = await mailbox.start();
    try {
      await createTransport(url).sendMail({ from: 'shop@example.com', to: 'a@example.com', subject: 'hello', text: 'x', headers: { 'X-Segmint-Workflow': 'welcome-series' } });
    } finally {
      await mailbox.stop();
    }
    expect(readdirSync(dir).sort()).toEqual(['00001-welcome-series.eml', '00002-win-back.eml', '00003-welcome-series.eml']);
    expect(readFileSync(join(dir, '00001-welcome-series.eml'), 'utf8')).toBe('earlier run\n');
    expect(readFileSync(join(dir, '00003-welcome-series.eml'), 'utf8')).toContain('Subject: hello');
  });
});
