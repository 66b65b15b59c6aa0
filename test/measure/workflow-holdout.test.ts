import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { generateDemo } from '../../src/demo/generate.js';
import { demoOptions } from '../../src/demo/options.js';
import { analyzeExperiment, type ExperimentAnalysis } from '../../src/measure/experiments/analyze.js';
import { seededRandom } from '../../src/numeric/random.js';
import { contactsOf } from '../../src/store/queries/workflows/customers.js';
import { consentingMembers, soldProducts } from '../../src/store/queries/workflows/demo.js';
import { registerWorkflowAssignmentSource } from '../../src/workflows/assignment-source.js';
import { installTemplate } from '../../src/workflows/templates/install.js';
import { runCli } from '../helpers/cli.js';
import { DAY, HOUR, MIN, workflowWorld } from '../workflows/world.js';

/*
 * Issue 13's holdout check on a demo shop, through the real parts: the demo generator's shop, the
 * abandoned-cart template with a 20% holdout in the workflow engine, checkouts and orders going in through
 * the live ingestion path, reminders going out to a real SMTP server, and the experiment the workflow
 * registered analysed by the measurement code (and the CLI).
 *
 * The lift is built in where it happens: a shopper orders on their own with probability P0 within six
 * days of the checkout; a shopper whose reminder the SMTP server received also comes back, 30 minutes
 * after it, with probability Q. Held-out shoppers get no reminder, so 7-day conversion is P0 for the
 * holdout and P0 + (1 − P0)·Q for the others: an absolute lift of (1 − P0)·Q = 29.75 points, a relative
 * lift of (1 − P0)·Q / P0 = 198%. The second reminder is put after the simulated month (second_delay
 * 60d): the effect is the first reminder's, and every email costs real engine time. Everything random is seeded and the workflow's id (which the holdout
 * hashes) is fixed, so the run is the same every time.
 */
const START = new Date('2025-03-01T00:00:00Z');
const ENTRANTS = 250;
const P0 = 0.15;
const Q = 0.35;
const SLOT = 6 * HOUR;
const LIFT = (1 - P0) * Q;
const AS_OF = new Date(START.getTime() + 38 * DAY);

type World = Awaited<ReturnType<typeof workflowWorld>>;
interface Shopper {
  readonly userId: string;
  readonly email: string;
  readonly checkoutAt: number;
  /** when they order with no reminder (null: they do not) */
  readonly ownOrderAt: number | null;
  readonly respondsToReminder: boolean;
}

describe('an abandoned-cart workflow with a 20% holdout over a simulated month on a demo shop', () => {
  let w: World;
  let analysis: ExperimentAnalysis;
  const reminded = new Set<string>();
  const ordered = new Map<string, number>();

  beforeAll(async () => {
    registerWorkflowAssignmentSource();
    w = await workflowWorld(START, {}, async (store) => {
      await generateDemo(store, demoOptions({ customers: 1000, days: 90, seed: 5, end: '2025-03-01' }));
    });
    await installTemplate(w.store, 'cart', 'abandoned-cart', { holdout: '20%', second_delay: '60d' }, { now: START, id: 'wf-demo-cart' });
    const random = seededRandom(13);
    const users = await consentingMembers(w.store, ENTRANTS);
    expect(users).toHaveLength(ENTRANTS);
    const ids = await w.store.all<{ value: string; customer_id: string }>("SELECT value, customer_id FROM identities WHERE kind = 'user_id' AND value IN (SELECT unnest($1::VARCHAR[]))", [users]);
    const contacts = await contactsOf(w.store, ids.map((r) => r.customer_id));
    const emailOf = new Map(ids.map((r) => [r.value, contacts.get(r.customer_id)!.email!]));
    const products = (await soldProducts(w.store, 12)).map((p) => ({ product_id: p.product_id, name: p.name, price: p.price, quantity: 1 }));
    const shoppers: Shopper[] = users.map((userId) => {
      const checkoutAt = START.getTime() + Math.floor(random() * 30 * DAY);
      // Own orders come at least 13 hours later: after the reminder has gone (it is sent at the end of the
      // slot after the checkout's), so every shopper outside the holdout gets one.
      const own = random() < P0 ? checkoutAt + 13 * HOUR + Math.floor(random() * (6 * DAY - 13 * HOUR)) : null;
      return { userId, email: emailOf.get(userId)!, checkoutAt, ownOrderAt: own, respondsToReminder: random() < Q };
    });
    const byEmail = new Map(shoppers.map((s) => [s.email, s]));

    // What the simulated shoppers do, in time order; a reminder adds an order for those it brings back.
    // Time moves in slots of 6 hours: the slot's events go in through the live ingestion path with their
    // own timestamps, then the engine runs everything due at the slot's end (reminders included).
    type Act = { at: number; kind: 'checkout' | 'order'; s: Shopper };
    const acts: Act[] = shoppers.flatMap((s) => [{ at: s.checkoutAt, kind: 'checkout' as const, s }, ...(s.ownOrderAt === null ? [] : [{ at: s.ownOrderAt, kind: 'order' as const, s }])]);
    let seen = 0;
    for (let t = START.getTime() + SLOT; t <= AS_OF.getTime(); t += SLOT) {
      w.clock.set(new Date(t));
      const due = acts.filter((a) => a.at <= t).sort((a, b) => a.at - b.at);
      acts.splice(0, acts.length, ...acts.filter((a) => a.at > t));
      const events: IncomingEvent[] = [];
      for (const { kind, s, at } of due) {
        const cart = { checkout_id: `c-${s.userId}`, products: products.slice(0, 1 + (s.checkoutAt % 3)), currency: 'EUR' };
        const base = { type: 'track' as const, userId: s.userId, timestamp: new Date(at), receivedAt: new Date(t) };
        if (kind === 'checkout') events.push({ ...base, messageId: `co-${s.userId}`, event: 'Checkout Started', properties: cart });
        else if (!ordered.has(s.userId)) {
          ordered.set(s.userId, at);
          const revenue = cart.products.reduce((sum, p) => sum + p.price, 0);
          events.push({ ...base, messageId: `or-${s.userId}`, event: 'Order Completed', properties: { ...cart, order_id: `o-${s.userId}`, revenue, total: revenue } });
        }
      }
      if (events.length > 0) await w.committer.submit(events);
      await w.engine.idle();
      await w.engine.tick();
      for (const m of w.smtp.received.slice(seen)) {
        const s = byEmail.get(m.to)!;
        if (!m.messageId.endsWith('.reminder@segmint>')) continue;
        reminded.add(s.userId);
        if (s.respondsToReminder && !ordered.has(s.userId)) acts.push({ at: t + 30 * MIN, kind: 'order', s });
      }
      seen = w.smtp.received.length;
    }
    expect(w.errors).toEqual([]);
    analysis = await analyzeExperiment(w.store, 'workflow cart holdout', { asOf: AS_OF, windowDays: 7, metrics: 'conversion' });
  }, 600_000);
  afterAll(() => w?.close());

  it('holds out about 20% of the shoppers and sends the rest their reminder', async () => {
    expect(analysis.customers).toBe(ENTRANTS);
    const [holdout, treatment] = analysis.metrics[0]!.groups;
    expect(holdout!.group).toBe('holdout');
    expect(treatment!.group).toBe('treatment');
    // The treatment group is exactly who the SMTP server got a first reminder for.
    expect(treatment!.customers).toBe(reminded.size);
    expect(holdout!.customers + treatment!.customers).toBe(ENTRANTS);
    expect(analysis.srm_p_value!).toBeGreaterThan(0.001);
    const skipped = await w.store.one<{ n: number }>("SELECT count(DISTINCT run_id)::INTEGER AS n FROM workflow_sends WHERE status = 'skipped' AND reason = 'holdout'");
    expect(skipped!.n).toBe(holdout!.customers);
  });

  it('reports the built-in lift (29.75 points, +198%) inside its fixed and sequential 95% intervals', () => {
    const [holdout, treatment] = analysis.metrics[0]!.groups;
    // The conversion rates the analysis read from the orders equal the simulation's own count.
    const buyers = [...ordered.keys()];
    expect(treatment!.mean! * treatment!.customers).toBeCloseTo(buyers.filter((u) => reminded.has(u)).length, 6);
    expect(holdout!.mean! * holdout!.customers).toBeCloseTo(buyers.filter((u) => !reminded.has(u)).length, 6);
    for (const interval of [treatment!.absolute_lift!, treatment!.sequential!.absolute_lift]) {
      expect(interval.ci95[0]!).toBeLessThan(LIFT);
      expect(interval.ci95[1]!).toBeGreaterThan(LIFT);
    }
    const pts = (x: number) => (100 * x).toFixed(1);
    process.stdout.write(
      `holdout ${holdout!.customers} (${pts(holdout!.mean!)}%), treatment ${treatment!.customers} (${pts(treatment!.mean!)}%): lift ${pts(treatment!.absolute_lift!.estimate!)} points, ` +
        `95% CI ${treatment!.absolute_lift!.ci95.map((x) => pts(x!)).join(' to ')}, sequential ${treatment!.sequential!.absolute_lift.ci95.map((x) => pts(x!)).join(' to ')}; built in ${pts(LIFT)}\n`,
    );
    expect(treatment!.absolute_lift!.ci95[0]!).toBeGreaterThan(0);
    expect(treatment!.relative_lift!.ci95[0]!).toBeLessThan(LIFT / P0);
    expect(treatment!.relative_lift!.ci95[1]!).toBeGreaterThan(LIFT / P0);
    expect(treatment!.p_value!).toBeLessThan(0.05);
  });

  it('is what `segmint experiments show` and `analyze` print for the workflow', async () => {
    await w.stop();
    const shown = await runCli(w.path, 'experiments', 'show', 'workflow cart holdout');
    expect(shown).toMatch(/workflow/);
    const printed = JSON.parse(await runCli(w.path, 'experiments', 'analyze', 'workflow cart holdout', '--metric', 'conversion', '--window', '7d', '--as-of', AS_OF.toISOString(), '--json')) as ExperimentAnalysis;
    expect(printed.metrics[0]!.groups[1]!.absolute_lift).toEqual(analysis.metrics[0]!.groups[1]!.absolute_lift);
  });
});
