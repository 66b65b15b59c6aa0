import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { runServed } from '../../src/cli/served/current.js';
import { unsetSetting } from '../../src/config/settings.js';
import { metricFields } from '../../src/segments/catalog/metrics.js';
import { fieldValue } from '../../src/segments/evaluator/values.js';
import { loadCustomerState } from '../../src/store/queries/segment-state.js';
import { previewEmail } from '../../src/workflows/manage/preview.js';
import { unsubscribeLink } from './helpers.js';
import { workflowWorld } from './world.js';

/*
 * Trial 8, D3 and D7: what a workflow email says must be what the rest of segmint says, and what
 * `workflows preview` shows must be what is sent.
 * - D3: a customer with no orders has no customer_metrics row; templates printed every metric empty
 *   ("Spent ."), while the segment language reads counts and sums as 0. Every metric field of the
 *   catalog is printed here and compared with the evaluator's value for the same customer.
 * - D7: with no server.public_url, the sends' unsubscribe links are on the address the server listens
 *   on, and a preview's must be too (one function builds both).
 */
const LISTENING = 'http://127.0.0.1:3813';
let w: Awaited<ReturnType<typeof workflowWorld>>;
const columns = metricFields.filter((f) => f.derive === undefined);
const text = columns.map((f) => `${f.column}=[{{ metrics.${f.column} }}]`).join(' ') + ' zero={% if metrics.orders_count == 0 %}yes{% else %}no{% endif %} unsub={{ unsubscribe_url }}';

beforeAll(async () => {
  w = await workflowWorld(undefined, { publicUrl: () => LISTENING });
  await unsetSetting(w.store, 'server.public_url');
  await w.workflow('probe', `trigger: { event: Probe }\nsteps:\n  - id: mail\n    email: { subject: "probe", text: ${JSON.stringify(text)} }\n`);
}, 60_000);
afterAll(() => w.close());

describe('a workflow email for a customer with no orders, sent and previewed', () => {
  it('prints each metric as the segment language reads it: 0 for counts and sums, empty for the rest (D3)', async () => {
    const id = await w.customer('u03');
    await w.track('u03', 'Probe');
    const [mail] = w.to('u03');
    const body = mail!.mail.text!.trim();
    const state = await loadCustomerState(w.store, id);
    for (const f of columns) {
      const v = fieldValue(f, state, w.clock.now().getTime());
      expect(body, f.name).toContain(`${f.column}=[${v === undefined ? '' : String(v)}]`);
    }
    expect(body).toContain('orders_count=[0] total_spent=[0]');
    expect(body).toContain('zero=yes');
  });

  it('the preview is the email sent, its unsubscribe link on the same address (D7)', async () => {
    const sent = w.to('u03')[0]!;
    const link = unsubscribeLink(sent);
    expect(link.startsWith(`${LISTENING}/v1/unsubscribe?token=`)).toBe(true);
    const p = await previewEmail(w.store, 'probe', 'u03', { now: w.clock.now(), listening: w.engine.listeningUrl() });
    // the same text but for the token (a preview names no sent email)
    const strip = (s: string) => s.trim().replace(/token=[\w.-]+/, 'token=…');
    expect(strip(p.text!)).toBe(strip(sent.mail.text!));
    // `segmint workflows preview` carried out by the running server (served CLI): the server's address
    let out = '';
    const stdout = new Writable({ write: (c: Buffer, _e, done) => ((out += c.toString()), done()) });
    const server = { pid: process.pid, url: LISTENING, startedAt: w.clock.now() };
    await runServed({ stdout, stderr: stdout, store: w.store, signal: new AbortController().signal, server }, () =>
      buildProgram().exitOverride().parseAsync(['node', 'segmint', 'workflows', 'preview', 'probe', '--customer', 'u03', '--json']),
    );
    expect(strip((JSON.parse(out) as { text: string }).text)).toBe(strip(sent.mail.text!));
    // without a server (a command run on its own), the default address
    const alone = await previewEmail(w.store, 'probe', 'u03', { now: w.clock.now() });
    expect(alone.text).toContain('unsub=http://127.0.0.1:3000/v1/unsubscribe?token=');
  });
});
