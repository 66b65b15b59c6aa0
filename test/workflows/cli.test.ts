import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';

/** `segmint workflows` and `segmint config` as a user types them. */
describe('segmint workflows and config', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
    const at = new Date('2025-05-01T10:00:00Z');
    await t.store.transaction((tx) =>
      ingestEvents(tx, [
        { messageId: 'm1', type: 'identify', userId: 'u1', traits: { email: 'u1@example.com', first_name: 'Uma' }, timestamp: at, receivedAt: at },
        {
          messageId: 'm2',
          type: 'track',
          userId: 'u1',
          event: 'Checkout Started',
          properties: { checkout_id: 'c9', products: [{ product_id: 'SKU-9', name: 'Wool Coat', quantity: 1, price: 199 }] },
          timestamp: at,
          receivedAt: at,
        },
      ]),
    );
    t.store.close();
  });
  afterAll(() => t.cleanup());

  it('keeps secrets out of what it prints', async () => {
    const out = await runCli(t.path, 'config', 'set', 'smtp.url', 'smtp://mailer:hunter2@mail.example.com:587');
    expect(out).toContain('smtp://mailer:***@mail.example.com:587');
    expect(out).not.toContain('hunter2');
    const list = await runCli(t.path, 'config', 'list', '--json');
    expect(list).not.toContain('hunter2');
    // The URL's options are shown (recheck 8, N3: ?pool=false was hidden), a value nodemailer would misread refused.
    expect(await runCli(t.path, 'config', 'set', 'smtp.url', 'smtp://mailer:hunter2@mail.example.com:587?pool=false&maxConnections=1')).toContain(
      'smtp://mailer:***@mail.example.com:587?pool=false&maxConnections=1',
    );
    await expect(runCli(t.path, 'config', 'set', 'smtp.url', 'smtp://mail.example.com:587?pool=maybe')).rejects.toThrow(/\?pool=maybe: pool is true or false/);
    await expect(runCli(t.path, 'config', 'set', 'smtp.url', 'smtp://mail.example.com:587?maxConnections=0')).rejects.toThrow(/maxConnections is a whole number above 0/);
    expect(await runCli(t.path, 'config', 'get', 'smtp.url')).toContain('?pool=false&maxConnections=1');
    expect(JSON.parse(list).find((s: { key: string }) => s.key === 'email.frequency_cap')).toMatchObject({ value: '1/1d', source: 'default' });
    await expect(runCli(t.path, 'config', 'set', 'email.quiet_hours', '9pm to 8am')).rejects.toThrow(/email\.quiet_hours: "9pm to 8am" is not a span of hours/);
    await expect(runCli(t.path, 'config', 'set', 'workspace.timezone', 'Mars/Olympus')).rejects.toThrow(/not a time zone/);
    // the value once, and one period at the end (trial 6, D9)
    for (const zone of ['Mars/Olympus', '+09:00']) {
      const e = await runCli(t.path, 'config', 'set', 'workspace.timezone', zone).catch((x: Error) => x.message);
      expect(e).toContain(`workspace.timezone: "${zone}" is not a time zone; write an IANA name such as Europe/Paris or America/New_York (an offset such as +09:00 is not a zone).`);
      expect(e.split(zone).length).toBe(zone === '+09:00' ? 3 : 2);
      expect(e).not.toContain('..');
    }
    // a window of no length caps nothing: refused like 0/1d
    for (const cap of ['1/0d', '2/0h', '0/1d', '1/forever']) {
      await expect(runCli(t.path, 'config', 'set', 'email.frequency_cap', cap)).rejects.toThrow(new RegExp(`email\\.frequency_cap: "${cap}" (has a period of 0|is not a cap)`));
    }
  });

  it('installs a template with parameters, shows it, previews its email', async () => {
    expect(await runCli(t.path, 'workflows', 'templates')).toContain('abandoned-cart');
    const created = await runCli(t.path, 'workflows', 'create', 'cart', '--template', 'abandoned-cart', '--param', 'delay=30min', '--param', 'from=Shop <shop@example.com>');
    expect(created).toContain('created cart  [active]  version 1 of 1  (template abandoned-cart)');
    expect(created).toContain('trigger   event "Checkout Started" per checkout_id');
    expect(created).toContain('timeout: 30min');
    const preview = await runCli(t.path, 'workflows', 'preview', 'cart', '--customer', 'u1');
    expect(preview).toContain('To:      u1@example.com   [email consent: none');
    expect(preview).toContain('Subject: Uma, you left something in your cart');
    expect(preview).toContain('- Wool Coat');
    expect(preview).toMatch(/Unsubscribe: http:\/\/127\.0\.0\.1:3000\/v1\/unsubscribe\?token=/);
    const html = JSON.parse(await runCli(t.path, 'workflows', 'preview', 'cart', '--customer', 'u1@example.com', '--step', 'second-reminder', '--json'));
    expect(html.html).toContain('Wool Coat');
  });

  it('creates from a YAML file, versions, pauses, resumes, lists and deletes', async () => {
    const file = join(t.dir, 'vip.yaml');
    writeFileSync(file, 'trigger: { event: Purchased }\nsteps:\n  - wait: 1d\n  - webhook: { url: "https://hooks.example.com/x", secret: "0123456789abcdef0123" }\n');
    const shown = await runCli(t.path, 'workflows', 'create', 'vip', '--file', file);
    expect(shown).toContain('secret: "***"');
    expect(shown).not.toContain('0123456789abcdef0123');
    writeFileSync(file, 'trigger: { event: Purchased }\nsteps:\n  - wait: 2d\n');
    expect(await runCli(t.path, 'workflows', 'update', 'vip', '--file', file)).toContain('version 2 of 2');
    expect(await runCli(t.path, 'workflows', 'show', 'vip', '--version', '1')).toContain('wait: 1d');
    expect(await runCli(t.path, 'workflows', 'pause', 'vip')).toBe('vip is paused\n');
    expect(await runCli(t.path, 'workflows', 'resume', 'vip')).toBe('vip is active\n');
    const list = JSON.parse(await runCli(t.path, 'workflows', 'list', '--json'));
    expect(list.map((w: { name: string }) => w.name)).toEqual(['cart', 'vip']);
    expect(await runCli(t.path, 'workflows', 'runs', 'vip')).toBe('No runs.\n');
    writeFileSync(file, 'trigger: { entered: nobody }\nsteps:\n  - exit: x\n');
    await expect(runCli(t.path, 'workflows', 'update', 'vip', '--file', file)).rejects.toThrow(/no segment named "nobody"/);
    expect(await runCli(t.path, 'workflows', 'delete', 'vip')).toContain('deleted "vip"');
    await expect(runCli(t.path, 'workflows', 'show', 'vip')).rejects.toThrow(/no workflow named "vip"/);
    await expect(runCli(t.path, 'workflows', 'run-show', 'nope')).rejects.toThrow(/no workflow run "nope"/);
  });
});
