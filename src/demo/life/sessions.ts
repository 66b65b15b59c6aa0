import { MODEL } from '../params.js';
import { samplePoisson } from '../random/poisson.js';
import { money } from '../sink.js';
import { pause } from './clock.js';
import type { Life } from './life.js';
import { basketCents, productsJson, withQuantity, writeOrder, type Line } from './orders.js';

/** Where a visit lands, and the time after it: the home page or a category page. */
function land(life: Life, t: number, favourite: number): number {
  const d = life.d;
  const context = life.shop.landingContext(d, life.deviceContext);
  if (d.chance(0.55)) {
    life.page(t, 'Home', '/', context);
  } else {
    const cat = d.chance(0.6) ? life.shop.catalog.categories[favourite]! : d.pick(life.shop.catalog.categories);
    life.page(t, cat.name, `/c/${cat.slug}`, context);
  }
  return t + pause(d);
}

/** Product Viewed for a few products (1 + Poisson(mean)); returns the time after. */
function viewSome(life: Life, t: number, favourite: number, mean: number): number {
  const d = life.d;
  const n = 1 + samplePoisson(d.rand, mean);
  for (let i = 0; i < n; i++) {
    life.track(t, 'Product Viewed', life.shop.product(d, favourite).json);
    t += pause(d);
  }
  return t;
}

/** A visit that only browses; sometimes a product goes into the cart and stays there. */
export function browseSession(life: Life, t: number, favourite: number): number {
  const d = life.d;
  t = land(life, t, favourite);
  t = viewSome(life, t, favourite, 1.1);
  if (d.chance(0.12)) {
    life.track(t, 'Product Added', withQuantity(life.shop.product(d, favourite), 1));
    t += pause(d);
  }
  return t;
}

export interface CheckoutOutcome {
  /** The time of the last event of the session. */
  end: number;
  /** The Order Completed message id, when the checkout ended in an order. */
  messageId?: string;
}

/**
 * A shopping visit: landing, a product or two, each basket line viewed and added, Checkout Started.
 * With orderId it ends in Order Completed (and the order rows); without, the cart is abandoned: no
 * Order Completed follows within the hour. beforeCheckout runs just before checkout (sign-up / login).
 */
export function checkoutSession(life: Life, t: number, favourite: number, lines: readonly Line[], orderId: string | undefined, beforeCheckout?: (t: number) => number): CheckoutOutcome {
  const d = life.d;
  t = land(life, t, favourite);
  if (d.chance(0.5)) t = viewSome(life, t, favourite, 0.5);
  for (const l of lines) {
    life.track(t, 'Product Viewed', l.product.json);
    t += pause(d);
    life.track(t, 'Product Added', withQuantity(l.product, l.quantity));
    t += pause(d);
  }
  if (beforeCheckout) t = beforeCheckout(t);
  const cents = money(basketCents(lines));
  const checkoutId = `chk_${life.nextMessageId()}`;
  life.track(t, 'Checkout Started', `{"checkout_id":"${checkoutId}","value":${cents},"revenue":${cents},"currency":"${MODEL.currency}","products":${productsJson(lines)}}`);
  if (orderId === undefined) return { end: t };
  t += d.int(60, 600);
  const props = `{"order_id":"${orderId}","checkout_id":"${checkoutId}","total":${cents},"revenue":${cents},"currency":"${MODEL.currency}","products":${productsJson(lines)}}`;
  const messageId = life.track(t, 'Order Completed', props);
  writeOrder(life, orderId, 'order', t, lines, 1, messageId);
  return { end: t, messageId };
}
