import type { Draw } from '../random/prng.js';
import type { ChunkFiles } from '../sink.js';
import type { Shop } from '../shop/shop.js';

const nul = (v: string | null | undefined): string => v ?? '';

/**
 * One person's life as it is being written: their ids, the device they are on, and a clock. Every
 * event gets a message id from (seed, person, sequence), so regenerating the same person gives the
 * same ids and a second load of the same demo inserts nothing.
 */
export class Life {
  readonly customerId: string;
  userId: string | null = null;
  anonymousId: string;
  /** The device's context code (see Shop.contexts). */
  deviceContext: number;
  private seq = 0;
  private readonly idPrefix: string;
  firstSeen = Number.POSITIVE_INFINITY;
  lastSeen = 0;

  constructor(
    readonly d: Draw,
    readonly shop: Shop,
    readonly out: ChunkFiles,
    readonly index: number,
    customerId: string,
    anonymousId: string,
  ) {
    this.customerId = customerId;
    this.anonymousId = anonymousId;
    this.deviceContext = shop.deviceContext(d);
    this.idPrefix = `${shop.messagePrefix}${index.toString(36)}-`;
  }

  nextMessageId(): string {
    return this.idPrefix + (this.seq++).toString(36);
  }

  /** Writes an event and returns its message id; serverSide events (email tool, shop backend) carry no anonymous id. */
  event(type: string, name: string | null, t: number, properties: string | null, traits: string | null, context: number, serverSide = false): string {
    const id = this.nextMessageId();
    if (t < this.firstSeen) this.firstSeen = t;
    if (t > this.lastSeen) this.lastSeen = t;
    // Collection lag: most events arrive within a second or two; a few (offline phones) much later.
    const lag = this.d.chance(0.02) ? this.d.int(60, 3600) : this.d.int(0, 2);
    this.out.row(
      'events',
      `${id}\t${type}\t${nul(name)}\t${this.customerId}\t${nul(this.userId)}\t${serverSide ? '' : this.anonymousId}\t${t}\t${t + lag}\t${nul(properties)}\t${nul(traits)}\t${context}`,
    );
    return id;
  }

  track(t: number, name: string, properties: string, context: number = this.deviceContext): string {
    return this.event('track', name, t, properties, null, context);
  }

  page(t: number, name: string, path: string, context: number = this.deviceContext): void {
    const props = `{"name":"${name}","path":"${path}","url":"https://shop.example.com${path}","title":"${name} | Maison Demo"}`;
    this.event('page', name, t, props, null, context);
  }

  identify(t: number, traits: string): void {
    this.event('identify', null, t, null, traits, this.deviceContext);
  }

  identity(kind: string, value: string, firstSeen: number): void {
    this.out.row('identities', `${kind}\t${value}\t${this.customerId}\t${firstSeen}`);
  }
}
