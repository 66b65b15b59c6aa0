import type { IncomingEvent } from '../../ingest/events/message.js';

type Product = { product_id: string; name: string; category: string; price: number };

/**
 * A few live shoppers for the demo: every `everyMs` one of them starts a checkout (one to three
 * products), and every other one completes the order `orderAfterMs` later, so the abandoned-cart
 * workflow has carts to remind about and carts to let go. Deterministic: shoppers and products are
 * taken in turn, ids count up from the start time.
 */
export class DemoShopper {
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<NodeJS.Timeout>();
  private n = 0;

  constructor(
    private readonly submit: (events: IncomingEvent[]) => Promise<unknown>,
    private readonly shoppers: readonly string[],
    private readonly products: readonly Product[],
    private readonly onError: (e: unknown) => void,
    private readonly everyMs = 10_000,
    private readonly orderAfterMs = 20_000,
  ) {}

  start(): void {
    if (this.shoppers.length === 0 || this.products.length === 0) return;
    this.timer = setInterval(() => this.checkout(), this.everyMs);
    this.checkout();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }

  private checkout(): void {
    const i = this.n++;
    const userId = this.shoppers[i % this.shoppers.length]!;
    const lines = Array.from({ length: 1 + (i % 3) }, (_, k) => {
      const p = this.products[(i * 7 + k * 13) % this.products.length]!;
      return { product_id: p.product_id, name: p.name, category: p.category, price: p.price, quantity: 1 };
    });
    const value = Math.round(lines.reduce((s, l) => s + l.price, 0) * 100) / 100;
    const stamp = Date.now();
    const checkoutId = `live-${stamp}-${i}`;
    const event = (name: string, properties: Record<string, unknown>): IncomingEvent => {
      const now = new Date();
      return { messageId: `demo-live-${name.replace(/\s/g, '-')}-${stamp}-${i}`, type: 'track', userId, event: name, properties, timestamp: now, receivedAt: now };
    };
    this.submit([event('Checkout Started', { checkout_id: checkoutId, value, revenue: value, currency: 'EUR', products: lines })]).catch(this.onError);
    if (i % 2 === 1) {
      const t = setTimeout(() => {
        this.pending.delete(t);
        this.submit([event('Order Completed', { order_id: `live-order-${stamp}-${i}`, checkout_id: checkoutId, total: value, revenue: value, currency: 'EUR', products: lines })]).catch(
          this.onError,
        );
      }, this.orderAfterMs);
      this.pending.add(t);
    }
  }
}
