import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOptions, generateDemo } from '../../src/demo/index.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { liveShoppersFit, startDemoWorkflows } from '../../src/workflows/demo/index.js';
import { tempStore } from '../helpers/store.js';

/**
 * Trial 10, L7: `demo --end 2025-06-01` (demo.md's options) ran live shoppers whose orders were dated
 * today, so every default as-of moved 18 months past the data and Predict validated on an empty holdout.
 * Live shoppers run only when the demo's period reaches today; otherwise no event leaves the period.
 */
describe('live shoppers and the demo’s period', () => {
  it('fit a period that ends today or later, not one that ended before', () => {
    const now = new Date('2026-12-01T17:42:00Z');
    expect(liveShoppersFit(undefined, now)).toBe(true);
    expect(liveShoppersFit(new Date('2026-12-01T00:00:00Z'), now)).toBe(true); // the default --end: today's midnight
    expect(liveShoppersFit(new Date('2026-12-02T00:00:00Z'), now)).toBe(true);
    expect(liveShoppersFit(new Date('2026-11-30T00:00:00Z'), now)).toBe(false);
    expect(liveShoppersFit(new Date('2025-06-01T00:00:00Z'), now)).toBe(false);
  });

  describe('a demo with --end 2025-06-01, served', () => {
    let t: Awaited<ReturnType<typeof tempStore>>;
    let server: RunningServer;
    let flows: Awaited<ReturnType<typeof startDemoWorkflows>>;
    const lines: string[] = [];
    const opts = demoOptions({ customers: 300, end: '2025-06-01' });

    beforeAll(async () => {
      t = await tempStore();
      await generateDemo(t.store, { ...opts, onProgress: () => undefined });
      server = await startServer({ store: t.store, port: 0, host: '127.0.0.1' });
      flows = await startDemoWorkflows(t.store, server, { dbPath: t.path, print: (l) => lines.push(l), demoEnd: opts.end });
    });
    afterAll(async () => {
      await flows.stop();
      await server.close();
      t.cleanup();
    });

    it('dates no order or event after the period, and says why there are no live shoppers', async () => {
      // A live shopper would have started a checkout at once, and another every 10 s.
      await new Promise((r) => setTimeout(r, 1500));
      await server.app.segmint.committer.idle();
      const after = await t.store.one<{ orders: number; events: number }>(
        "SELECT (SELECT count(*) FROM orders WHERE placed_at >= $1)::INTEGER AS orders, (SELECT count(*) FROM events WHERE timestamp >= $1 AND event IN ('Checkout Started', 'Order Completed'))::INTEGER AS events",
        [opts.end],
      );
      expect(after).toEqual({ orders: 0, events: 0 });
      expect(lines.join('\n')).toContain("No live shoppers: the demo's period ends 2025-06-01");
    });
  });
});
