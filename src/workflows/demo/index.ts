import { startOfDay } from '../../domain/days.js';
import { dirname, basename, join } from 'node:path';
import { refreshRfmSnapshot } from '../../analytics/rfm/rfm.js';
import { setSetting, settingValue } from '../../config/settings.js';
import type { RunningServer } from '../../server/app.js';
import { refreshSegments } from '../../segments/manage/refresh.js';
import type { Store } from '../../store/db.js';
import { consentingMembers, soldProducts } from '../../store/queries/workflows/demo.js';
import { findWorkflow } from '../../store/queries/workflows/definitions.js';
import { installTemplate } from '../templates/install.js';
import { DemoMailbox } from './mailbox.js';
import { DemoShopper } from './shopper.js';

/** The ready-made workflows the demo runs, with delays short enough to watch. */
export const DEMO_WORKFLOWS: readonly { name: string; template: string; params: Record<string, string> }[] = [
  { name: 'abandoned-cart', template: 'abandoned-cart', params: { delay: '45s', second_delay: '2min', discount: '10%' } },
  { name: 'win-back', template: 'win-back', params: { delay: '5min' } },
  { name: 'welcome-series', template: 'welcome-series', params: { first_delay: '2min', second_delay: '5min' } },
  { name: 'post-purchase', template: 'post-purchase', params: { delay: '3min' } },
  { name: 'vip-thank-you', template: 'vip-thank-you', params: {} },
];

/**
 * Whether live shoppers fit the demo's period: their events are dated when they happen, so only a period
 * that reaches today (the default `--end`, today's midnight, or later) takes them without a gap of
 * months between the generated data and the live orders. Without a known end they run.
 */
export function liveShoppersFit(demoEnd: Date | undefined, now: Date): boolean {
  if (demoEnd === undefined) return true;
  return demoEnd.getTime() >= startOfDay(now).getTime();
}

/** Where the demo's emails are saved: a folder beside the database file. */
export function outboxDir(dbPath: string): string {
  return join(dirname(dbPath), `${basename(dbPath).replace(/\.duckdb$/, '')}-outbox`);
}

/**
 * Workflows in the demo: a local mailbox takes every email (SMTP only for this process: the stored
 * settings are left alone), the ready-made workflows are installed (once), RFM and segments are
 * computed so customers enter Champions and At Risk now, and a few live shoppers start checkouts. The
 * first emails arrive within seconds; abandoned-cart reminders within a minute.
 */
export async function startDemoWorkflows(
  store: Store,
  server: RunningServer,
  opts: { dbPath: string; print: (line: string) => void; signal?: AbortSignal; demoEnd?: Date },
): Promise<{ stop(): Promise<void>; outbox: string }> {
  const engine = server.app.workflows;
  if (!engine) throw new Error('the demo server runs without a workflow engine');
  const outbox = outboxDir(opts.dbPath);
  const mailbox = new DemoMailbox(outbox, opts.print);
  const previousSmtp = process.env.SEGMINT_SMTP_URL;
  // Started last; stop() may run before it exists (Ctrl-C while starting).
  const started: { shopper?: DemoShopper } = {};
  const stop = async (): Promise<void> => {
    started.shopper?.stop();
    // Stopped, not waited for: idle() would deliver the whole backlog of due emails first (minutes on a
    // fresh demo); stop() ends after the send under way and leaves the rest due for the next run. The
    // server's close stops the engine again, which then does nothing.
    await engine.stop();
    await mailbox.stop();
    if (previousSmtp === undefined) delete process.env.SEGMINT_SMTP_URL;
    else process.env.SEGMINT_SMTP_URL = previousSmtp;
  };
  // Ctrl-C while this starts (a refresh takes seconds): the engine stops after its send under way, and
  // the steps not yet begun are left for the next run.
  const signal = opts.signal;
  const halted = (): boolean => signal?.aborted === true;
  signal?.addEventListener('abort', () => void engine.stop().catch(() => undefined), { once: true });
  process.env.SEGMINT_SMTP_URL = await mailbox.start();
  const now = engine.clock.now();
  // The engine's first look sets where it starts reading segment history: before the refresh below.
  const steps: (() => Promise<unknown>)[] = [
    () => engine.tick(),
    () =>
      engine.serial(async () => {
        if (!(await settingValue(store, 'email.from'))) await setSetting(store, 'email.from', 'Maison Demo <shop@example.com>', now);
        for (const w of DEMO_WORKFLOWS) if (!(await findWorkflow(store, w.name))) await installTemplate(store, w.name, w.template, w.params, { now });
      }),
    () => refreshRfmSnapshot(store, now),
    () => refreshSegments(store, { asOf: now }),
  ];
  for (const step of steps) {
    if (halted()) return { outbox, stop };
    await step();
  }
  if (halted()) return { outbox, stop };
  engine.wake();
  if (!liveShoppersFit(opts.demoEnd, new Date(now))) {
    // Their orders would be dated today, long after the demo's period: every as-of default would move
    // past the generated data, and Predict would validate on the empty months between (trial 10, L7).
    opts.print(`Workflows running: ${DEMO_WORKFLOWS.map((w) => w.name).join(', ')} (segmint workflows list). Their emails go to a local mailbox, saved as .eml files in ${outbox}.`);
    opts.print(`No live shoppers: the demo's period ends ${opts.demoEnd!.toISOString().slice(0, 10)}, and their orders would be dated today, after it; run the demo without --end to see them.`);
    return { outbox, stop };
  }
  const shoppers = await consentingMembers(store, 40);
  const shopper = new DemoShopper((events) => server.app.segmint.committer.submit(events), shoppers, await soldProducts(store, 60), (e) =>
    opts.print(`  demo shopper: ${e instanceof Error ? e.message : String(e)}`),
  );
  if (halted()) return { outbox, stop };
  started.shopper = shopper;
  shopper.start();
  opts.print(`Workflows running: ${DEMO_WORKFLOWS.map((w) => w.name).join(', ')} (segmint workflows list).`);
  opts.print(`Their emails go to a local mailbox, saved as .eml files in ${outbox}; live shoppers start a checkout every 10 s.`);
  return { outbox, stop };
}
