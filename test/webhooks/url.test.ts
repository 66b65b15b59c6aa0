import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { insertWebhook } from '../../src/store/queries/realtime/webhooks.js';
import { findSegmentRecord } from '../../src/store/queries/segments/definitions.js';
import { readSource } from '../../src/workflows/definition/source.js';
import { MAX_WEBHOOK_URL, webhookUrlProblem } from '../../src/webhooks/url.js';
import { realtimeApp } from '../realtime/helpers/app.js';
import { basic } from '../server/helpers.js';

/**
 * Webhook URLs that could never be delivered were accepted and retried for a day, and credentials in a
 * URL were printed by `webhooks list` (trial 6, D5). Each is refused when the webhook is added (the API,
 * so the CLI, and a workflow's webhook step), and a saved password is never printed.
 */
const ctx = realtimeApp({ vip: 'orders_count >= 1' }, { clock: new ManualClock(Date.UTC(2024, 4, 1)) });
const add = (url: string) => ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.admin) }, payload: { segment: 'vip', url } });

const refused: [string, RegExp][] = [
  ['http://user:pw@127.0.0.1:3971/cred', /cannot hold a user name or password/],
  ['https://token@hooks.example.com/x', /cannot hold a user name or password/],
  [`https://hooks.example.com/${'a'.repeat(70_000)}`, new RegExp(`has 70,026 characters; a webhook URL has at most ${MAX_WEBHOOK_URL.toLocaleString('en-US')}`)],
  ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
  ['http://[fe80::1]/x', /link-local/],
  ['http://[::ffff:169.254.169.254]/x', /link-local/],
  // trial 7, D6: IPv4-compatible and NAT64 spellings of the metadata address
  ['http://[::169.254.169.254]/x', /link-local/],
  ['http://[64:ff9b::a9fe:a9fe]/x', /link-local/],
  // recheck 7, N10: cloud metadata services outside 169.254.0.0/16 (EC2 over IPv6; Alibaba Cloud), in
  // several spellings (written out, upper case, IPv4-mapped, NAT64, IPv4 in hex as the URL parser reads it)
  ['http://[fd00:ec2::254]/x', /\[fd00:ec2::254\] is the address of EC2's instance metadata service/],
  ['http://[FD00:0EC2:0000:0000:0000:0000:0000:0254]/latest/meta-data/', /EC2's instance metadata service/],
  ['http://100.100.100.200/latest/meta-data/', /100\.100\.100\.200 is the address of Alibaba Cloud's instance metadata service/],
  ['http://0x64.100.100.200/x', /Alibaba Cloud's instance metadata service/],
  ['http://[::ffff:100.100.100.200]/x', /Alibaba Cloud's instance metadata service/],
  ['http://[64:ff9b::6464:64c8]/x', /Alibaba Cloud's instance metadata service/],
  ['javascript:alert(1)', /must start with http:\/\/ or https:\/\/, not javascript:$/],
  ['not a url', /is not a URL/],
];

describe('webhook URLs', () => {
  it('refuses, at add time, each URL that could never be delivered, saying why', async () => {
    for (const [url, why] of refused) {
      const res = await add(url);
      expect(res.statusCode, url.slice(0, 60)).toBe(400);
      const body = res.json() as { error: string; message: string };
      expect(body.error).toBe('webhook_url_invalid');
      expect(body.message.replace(/\.$/, '')).toMatch(why);
      // the answer repeats no password, nor 70,000 characters
      expect(res.body).not.toContain(':pw@');
      expect(res.body.length).toBeLessThan(1000);
    }
    // what a self-hosted receiver uses stays allowed: loopback, private networks, a port
    for (const ok of ['http://127.0.0.1:3971/hook', 'http://10.0.0.5/hook', 'https://hooks.example.com/segmint?x=1', 'http://[fd00:ec2::253]/hook', 'http://100.100.100.201/hook']) {
      expect((await add(ok)).statusCode, ok).toBe(201);
    }
  });

  it('never prints a password saved before such URLs were refused', async () => {
    const seg = await findSegmentRecord(ctx.store, 'vip');
    await insertWebhook(ctx.store, { webhook_id: 'whk_old', segment_id: seg!.segment_id, url: 'http://user:hunter2@127.0.0.1:1/old', secret: 'whsec_0123456789abcdef', on_entered: true, on_exited: true }, new Date());
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.admin) } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('hunter2');
    expect(res.body).toContain('http://user:***@127.0.0.1:1/old');
  });

  it('refuses the same URLs in a workflow webhook step, naming the step', () => {
    const def = (url: string) => `trigger: { entered: vip }\nsteps:\n  - id: notify\n    webhook: ${JSON.stringify(url)}\n`;
    for (const [url, why] of refused) {
      let msg = '';
      try {
        readSource(def(url), 'flow.yaml');
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(/step "notify" \(steps\[0\]\.webhook\.url\)/);
      if (url.startsWith('http')) expect(msg).toMatch(why);
    }
    expect(webhookUrlProblem('https://hooks.example.com/x')).toBeUndefined();
  });
});
