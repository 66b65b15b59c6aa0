import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { defaultGroupTable } from '../../src/analytics/rfm/groups.js';
import { runRfm } from '../../src/analytics/rfm/rfm.js';
import { runClusters } from '../../src/analytics/clusters/runClusters.js';
import { importFile } from '../../src/ingest/import/run.js';
import { createExperiment } from '../../src/measure/experiments/create.js';
import { ensureKpis } from '../../src/measure/kpis/ensure.js';
import { fitFromStore } from '../../src/predict/clv/run/fit-from-store.js';
import { predictFromStore } from '../../src/predict/clv/run/predict-from-store.js';
import { scorePropensity } from '../../src/predict/propensity/score.js';
import { trainPropensity } from '../../src/predict/propensity/train.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { setSetting } from '../../src/config/settings.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { ManualClock } from '../../src/workflows/engine/clock.js';
import { createWorkflow } from '../../src/workflows/manage/crud.js';
import { basic } from '../server/helpers.js';
import { smtpCapture } from '../workflows/helpers.js';

/**
 * A small shop with one person to erase, filled through the real paths: a Shopify orders export
 * imported, live events sent over HTTP (with consent and traits), a workflow run by the server's engine
 * (a split, an email sent to a real SMTP server, a tag, a static list, a trait, a wait), segments
 * refreshed, RFM, clusters, CLV, propensity scores, an experiment and daily segment KPIs computed. Everything the person left is findable by the strings
 * of `VICTIM`; `CONTROL` is another customer's, which must survive.
 */
export const VICTIM = {
  email: 'zelda.quux@example.org',
  name: 'Zelda Quuxington',
  phone: '+44 20 7946 0999',
  city: 'Snorkelbury',
  userId: 'zq-user-8841',
  anonymousId: 'anon-zq-c0ffee42',
  // Order names built from the surname, as some shops do.
  orderPrefix: 'QUUXINGTON-',
} as const;
export const CONTROL = { email: 'shopper3@example.com', name: 'Shopper Three' } as const;

const HEADER = 'Name,Email,Financial Status,Accepts Marketing,Currency,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing City,Billing Country,Phone';
const COUNTRIES = ['US', 'GB', 'DE', 'FR'];
const WORDS = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine'];
const PRODUCTS: [string, string, number][] = [
  ['LS-M', 'Linen Shirt', 45],
  ['CT-1', 'Canvas Tote', 20],
  ['WS-3', 'Wool Socks', 12],
  ['RB-9', 'Rain Boots', 80],
];

function day(n: number): string {
  return new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The orders CSV: 60 shoppers with 1 to 6 orders over 2024, and the victim with 5. Returns its path. */
export function writeOrdersCsv(dir: string): string {
  const lines = [HEADER];
  const order = (name: string, email: string, billing: string, city: string, country: string, phone: string, at: string, items: number[]): void => {
    items.forEach((p, j) => {
      const [sku, title, price] = PRODUCTS[p % PRODUCTS.length]!;
      const head = j === 0 ? [email, 'paid', 'yes', 'USD'] : ['', '', '', ''];
      const bill = j === 0 ? [billing, city, country, phone] : ['', '', '', ''];
      lines.push([name, ...head, `${at} 10:00:00 +0000`, String(1 + (p % 3)), title, price.toFixed(2), sku, ...bill].join(','));
    });
  };
  let n = 1000;
  for (let i = 0; i < 60; i++) {
    const orders = 1 + (i % 6);
    for (let k = 0; k < orders; k++) {
      const name = `Shopper ${WORDS[i % 10]}${i >= 10 ? ` ${Math.floor(i / 10)}` : ''}`;
      order(`#${n++}`, `shopper${i}@example.com`, name, 'Springfield', COUNTRIES[i % 4]!, '', day(5 + ((i * 7 + k * 53) % 330)), [i + k, i + 2 * k]);
    }
  }
  for (let k = 0; k < 5; k++) {
    order(`${VICTIM.orderPrefix}${k + 1}`, VICTIM.email, VICTIM.name, VICTIM.city, 'GB', VICTIM.phone, day(20 + k * 60), [k, k + 1, k + 2]);
  }
  const path = join(dir, 'orders_export.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Rows of the victim in the CSV (the lines of their orders). */
export function victimRows(csv: string): number {
  return readFileSync(csv, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(VICTIM.orderPrefix)).length;
}

/** The live events of the victim (and one of the control customer), as the shop's site sent them. */
export function liveEvents(): { path: string; body: Record<string, unknown> }[] {
  const ctx = { consent: { categoryPreferences: { email: true, sms: false, ads: true } } };
  return [
    {
      path: '/v1/identify',
      body: {
        userId: VICTIM.userId,
        anonymousId: VICTIM.anonymousId,
        messageId: 'zq-identify-1',
        timestamp: '2024-09-02T09:00:00Z',
        traits: { email: VICTIM.email, name: VICTIM.name, phone: VICTIM.phone, city: VICTIM.city, email_consent: 'granted' },
        context: ctx,
      },
    },
    { path: '/v1/page', body: { anonymousId: VICTIM.anonymousId, messageId: 'zq-page-1', timestamp: '2024-09-01T08:00:00Z', name: 'Home' } },
    {
      path: '/v1/track',
      body: { userId: VICTIM.userId, messageId: 'zq-track-1', timestamp: '2024-09-03T10:00:00Z', event: 'Product Viewed', properties: { sku: 'RB-9', note: `for ${VICTIM.name}` } },
    },
    {
      path: '/v1/track',
      body: {
        userId: VICTIM.userId,
        messageId: 'zq-order-live-1',
        timestamp: '2024-11-20T10:00:00Z',
        event: 'Order Completed',
        properties: { order_id: `${VICTIM.orderPrefix}LIVE-1`, revenue: 80, currency: 'USD', products: [{ product_id: 'RB-9', name: 'Rain Boots', price: 80, quantity: 1 }] },
      },
    },
    {
      path: '/v1/identify',
      body: { userId: 'shopper-3', messageId: 'c3-identify-1', timestamp: '2024-09-02T09:00:00Z', traits: { email: CONTROL.email, name: CONTROL.name, email_consent: 'granted' } },
    },
    { path: '/v1/track', body: { userId: 'shopper-3', messageId: 'c3-track-1', timestamp: '2024-09-03T11:00:00Z', event: 'Product Viewed', properties: { sku: 'CT-1' } } },
  ];
}

/** Sends the events through the HTTP API (Basic auth with a write key); returns each answer. */
export async function sendEvents(app: FastifyInstance, key: string, events = liveEvents()): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const e of events) {
    const res = await app.inject({ method: 'POST', url: e.path, headers: { authorization: basic(key), 'content-type': 'application/json' }, payload: JSON.stringify(e.body) });
    out.push(res.json());
  }
  return out;
}

/**
 * The workflow the shop runs on product views: a split into two first emails, a tag, a static list, a
 * trait, then two days' wait before a last email. Runs are under way (waiting) when the shop is built.
 */
export const FOLLOW_UP = `
trigger: { event: Product Viewed }
steps:
  - id: ab
    split:
      variants:
        - name: A
          weight: 1
          steps:
            - id: first-a
              email: { subject: "Still thinking, {{ traits.name }}?", text: "Hello {{ traits.name }}, see you at {{ traits.city | default: 'home' }}." }
        - name: B
          weight: 1
          steps:
            - id: first-b
              email: { subject: "Still thinking, {{ traits.name }}?", text: "Hi {{ traits.name }}." }
  - tag: viewer
  - list: { add: viewers }
  - set_trait: { followed_up: "{{ now }}" }
  - wait: 2d
  - id: last
    email: { subject: "Last chance, {{ traits.name }}", text: "Bye." }
`;

/** The shop's mail server, its webhook receiver (the bodies received) and the clock of its workflow engine. */
export interface ShopWorld {
  readonly smtp: Awaited<ReturnType<typeof smtpCapture>>;
  readonly hooks: { readonly url: string; readonly received: string[]; close(): Promise<void> };
  readonly clock: ManualClock;
  close(): Promise<void>;
}

/** A real HTTP receiver for segment webhooks: keeps each body, answers 200. */
async function hookReceiver(): Promise<ShopWorld['hooks']> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/segment-hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Fills the store: import, live events, a workflow, segments, analytics, predictions, experiment, KPIs. */
export async function buildShop(store: Store, dir: string): Promise<{ csv: string; key: string; world: ShopWorld }> {
  const csv = writeOrdersCsv(dir);
  await importFile(store, csv);
  const { key } = await createApiKey(store, ['write'], 'site');
  const smtp = await smtpCapture();
  await setSetting(store, 'smtp.url', smtp.url);
  await setSetting(store, 'email.from', 'Shop <shop@example.com>');
  await setSetting(store, 'email.frequency_cap', 'off');
  await setSetting(store, 'server.public_url', 'http://shop.example.test');
  // Active since before the events' own times, so that the views (sent now, dated September) start runs.
  await createWorkflow(store, 'viewed-follow-up', { text: FOLLOW_UP, origin: 'viewed-follow-up.yaml' }, { now: new Date('2024-09-01T00:00:00Z') });
  const clock = new ManualClock(new Date('2024-09-10T00:00:00Z'));
  // A live segment with a webhook: the views make the person enter it, and the server posts it.
  await createSegment(store, { name: 'viewers', definition: { query: 'performed "Product Viewed"' } });
  const hooks = await hookReceiver();
  const app = await buildApp({ store, workflows: { clock } });
  try {
    const admin = (await createApiKey(store, ['admin'], 'shop admin')).key;
    const hook = await app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: basic(admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ segment: 'viewers', url: hooks.url, on: 'entered' }),
    });
    if (hook.statusCode !== 201) throw new Error(`webhook not created: ${hook.body}`);
    await sendEvents(app, key);
    await app.workflows!.idle();
    for (let i = 0; i < 500 && hooks.received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await app.close();
  }
  const asOf = new Date('2024-12-31T00:00:00Z');
  await createSegment(store, { name: 'buyers', definition: { query: 'orders_count >= 1' } });
  await createSegment(store, { name: 'loyal', definition: { query: 'orders_count >= 3' } });
  await refreshSegments(store, { asOf: new Date('2024-06-30T00:00:00Z') });
  await refreshSegments(store, { asOf });
  await runRfm(store, { asOf, table: defaultGroupTable(5) });
  await runClusters(store, { asOf, k: 3, seed: 1, restarts: 2 });
  await fitFromStore(store, { model: 'bg-nbd', grain: 'day', timeUnit: 'week' });
  await predictFromStore(store, { horizonDays: 365, discount: 0.1 });
  await trainPropensity(store, { cutoff: new Date('2024-08-01T00:00:00Z') });
  await scorePropensity(store);
  await createExperiment(store, { name: 'winback', segment: 'buyers', groups: 'control:50,treatment:50', salt: 'fixed', at: asOf });
  await ensureKpis(store, '2024-12-01', '2024-12-30');
  const close = async (): Promise<void> => {
    await smtp.close();
    await hooks.close();
  };
  return { csv, key, world: { smtp, hooks, clock, close } };
}
