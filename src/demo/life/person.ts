import { customerIdFor } from '../../domain/identifiers.js';
import { MODEL } from '../params.js';
import { sampleBeta } from '../random/beta.js';
import { sampleExponential } from '../random/exponential.js';
import { sampleGamma } from '../random/gamma.js';
import { Draw, Sfc32 } from '../random/prng.js';
import { makePerson } from '../shop/people.js';
import type { Shop } from '../shop/shop.js';
import type { ChunkFiles } from '../sink.js';
import { atShoppingHour } from './clock.js';
import { emailEngagement } from './email.js';
import { Life } from './life.js';
import { purchaseTimes, sideSessions, type Visit } from './timeline.js';
import { basket, maybeRefund } from './orders.js';
import { browseSession, checkoutSession } from './sessions.js';

const DAY = 86400;
/** Stream 2 of the seed: one independent stream per person. */
const PEOPLE_STREAM = 2;

/**
 * Simulates person `index` of the shop from their own random stream and writes their rows. The person
 * is a browse-only anonymous visitor or an identified member who may buy (BG/NBD purchases).
 */
export function simulatePerson(shop: Shop, index: number, out: ChunkFiles): void {
  const d = personDraw(shop.seed, index);
  const anonymousId = d.uuid();
  // Their first identifier is the browser's anonymous id: the customer id follows from it, as in ingest.
  const customerId = customerIdFor({ kind: 'anonymous_id', value: anonymousId });
  const life = new Life(d, shop, out, index, customerId, anonymousId);
  const favourite = d.weighted(shop.catalog.categoryCumulative);
  const arrival = arrivalTime(d, shop);
  life.identity('anonymous_id', anonymousId, arrival);
  let traits = '{}';
  if (d.chance(MODEL.anonymousShare)) visitor(life, arrival, favourite);
  else traits = member(life, arrival, favourite);
  out.row('customers', `${customerId}\t${life.firstSeen}\t${life.lastSeen}\t${traits}`);
}

/** Person `index`'s own random stream: the same person always lives the same life. */
export function personDraw(seed: number, index: number): Draw {
  return new Draw(new Sfc32(seed, PEOPLE_STREAM, index));
}

/** Latest start of a visit, so every visit ends before the period does. */
export function cutoff(shop: Shop): number {
  return shop.endSec - 3 * 3600;
}

/** First visit: spread over the period, half uniformly and half growing with time (a shop that grows). */
function arrivalTime(d: Draw, shop: Shop): number {
  const days = Math.floor((shop.endSec - shop.startSec) / DAY);
  const x = d.chance(0.5) ? d.next() : Math.sqrt(d.next());
  const t = atShoppingHour(d, shop.startSec + Math.floor(x * days) * DAY);
  return Math.min(t, cutoff(shop) - d.int(0, 3600));
}

function visitor(life: Life, arrival: number, favourite: number): void {
  const d = life.d;
  let t = browseSession(life, arrival, favourite);
  const more = Math.floor(sampleExponential(d.rand, 1 / MODEL.anonymousExtraSessions));
  for (let i = 0; i < more; i++) {
    t = atShoppingHour(d, t + sampleExponential(d.rand, 1 / (15 * DAY)));
    if (t >= cutoff(life.shop)) break;
    t = browseSession(life, t, favourite);
  }
}

/** An identified member's whole life; returns their final traits as JSON. */
function member(life: Life, arrival: number, favourite: number): string {
  const { d, shop } = life;
  const person = makePerson(d, life.index + 1);
  const userId = String(1_000_000 + life.index);
  const buyer = d.chance(MODEL.buyerShare);
  const spend = sampleGamma(d.rand, MODEL.spendShape, MODEL.spendShape);
  const emailOk = d.chance(MODEL.emailConsent);
  const smsOk = d.chance(MODEL.smsConsent);
  const openRate = sampleBeta(d.rand, MODEL.openA, MODEL.openB);
  // A second device (phone and laptop) comes into use some time after the first visit.
  const second = d.chance(MODEL.secondDevice)
    ? { id: d.uuid(), context: shop.deviceContext(d), from: arrival + d.next() * 0.6 * (cutoff(shop) - arrival), seen: false }
    : undefined;
  const first = { id: life.anonymousId, context: life.deviceContext };
  let plan = 'member';
  const traits = () =>
    JSON.stringify({ email: person.email, first_name: person.firstName, last_name: person.lastName, country: person.country, city: person.city, plan });

  const signUp = (t: number): number => {
    life.userId = userId;
    life.identify(t, traits());
    life.track(t + 1, 'Signed Up', `{"method":"email","newsletter":${emailOk}}`);
    life.identity('user_id', userId, t);
    life.identity('email', person.email, t);
    life.out.row('consent', `${life.customerId}\temail\t${emailOk ? 'granted' : 'denied'}\t${t}`);
    life.out.row('consent', `${life.customerId}\tsms\t${smsOk ? 'granted' : 'denied'}\t${t}`);
    return t + 2;
  };

  const { times, lapsedAt } = buyer ? purchaseTimes(d, arrival, cutoff(shop)) : { times: [], lapsedAt: arrival + sampleExponential(d.rand, 1 / (120 * DAY)) };
  const visits: Visit[] = sideSessions(d, arrival, times, lapsedAt, cutoff(shop), buyer);

  // The first visit: a buyer signs up at checkout, a browser signs up for the newsletter on the way out.
  let orders = 0;
  let t: number;
  if (buyer) {
    const lines = basket(life, favourite, spend);
    const orderId = `ORD-${life.index + 1}-${++orders}`;
    t = checkoutSession(life, arrival, favourite, lines, orderId, signUp).end;
    maybeRefund(life, orderId, t, lines);
  } else {
    t = signUp(browseSession(life, arrival, favourite));
  }

  for (const v of visits) {
    let start = Math.max(v.at, t + 600);
    if (start >= cutoff(shop)) break;
    if (second && start > second.from && d.chance(0.5)) {
      life.anonymousId = second.id;
      life.deviceContext = second.context;
      if (!second.seen) {
        second.seen = true;
        life.identity('anonymous_id', second.id, start);
        life.identify(start, traits()); // logging in on the new device links it
        start += 2;
      }
    } else {
      life.anonymousId = first.id;
      life.deviceContext = first.context;
    }
    if (v.kind === 'browse') {
      t = browseSession(life, start, favourite);
    } else if (v.kind === 'abandon') {
      t = checkoutSession(life, start, favourite, basket(life, favourite, spend), undefined).end;
    } else {
      const lines = basket(life, favourite, spend);
      const orderId = `ORD-${life.index + 1}-${++orders}`;
      t = checkoutSession(life, start, favourite, lines, orderId).end;
      maybeRefund(life, orderId, t, lines);
      if (orders === MODEL.vipOrders) {
        plan = 'vip';
        life.identify(t + 5, traits());
        t += 5;
      }
    }
  }
  if (emailOk) emailEngagement(life, arrival, openRate, lapsedAt);
  return traits();
}
