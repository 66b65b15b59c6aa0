import { MODEL } from '../params.js';
import type { Draw } from '../random/prng.js';
import { campaignSchedule, type Campaign } from './campaigns.js';
import { buildCatalog, type Catalog, type Product } from './catalog.js';

const USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
];
// Mobile-first traffic, as for most fashion shops.
const UA_WEIGHTS = [0.42, 0.26, 0.2, 0.12];

// Where sessions come from: [source, medium, campaign], with shares; direct visits carry no campaign.
const SOURCES: ReadonlyArray<readonly [string, string, string, number]> = [
  ['google', 'cpc', 'brand', 0.12],
  ['google', 'organic', '', 0.18],
  ['instagram', 'social', 'spring_looks', 0.1],
  ['tiktok', 'social', 'creators', 0.05],
  ['affiliate', 'referral', 'partners', 0.05],
];

/** Everything the simulation shares between people: the period, catalogue, newsletter calendar, ids. */
export class Shop {
  readonly catalog: Catalog;
  readonly campaigns: readonly Campaign[];
  /** Prefix of every message id of this seed. */
  readonly messagePrefix: string;
  /**
   * Every distinct event context (library, user agent, traffic source). Events refer to them by code
   * (index + 1; 0 is no context) and the store expands the code while loading, which keeps the chunk
   * files small.
   */
  readonly contexts: string[];
  private readonly sessionContexts: number[][];

  constructor(
    readonly seed: number,
    /** The period, in epoch seconds UTC: [startSec, endSec). */
    readonly startSec: number,
    readonly endSec: number,
  ) {
    this.catalog = buildCatalog(seed);
    this.campaigns = campaignSchedule(startSec, endSec, MODEL.campaignEveryDays);
    this.messagePrefix = `demo-${seed.toString(36)}-`;
    const library = '"library":{"name":"analytics.js","version":"5.2.0"}';
    this.contexts = USER_AGENTS.map((ua) => `{${library},"userAgent":"${ua}"}`);
    const code = (json: string) => this.contexts.push(json);
    // A session's first events also carry where the visit came from (utm_* parsed into context.campaign).
    this.sessionContexts = USER_AGENTS.map((ua) =>
      SOURCES.map(([source, medium, name]): number => {
        const c = name ? `"source":"${source}","medium":"${medium}","name":"${name}"` : `"source":"${source}","medium":"${medium}"`;
        return code(`{${library},"userAgent":"${ua}","campaign":{${c}}}`);
      }),
    );
  }

  /** A device's context (library and user agent); each device keeps its own for its whole life. */
  deviceContext(d: Draw): number {
    let u = d.next();
    for (let i = 0; i < UA_WEIGHTS.length; i++) {
      u -= UA_WEIGHTS[i]!;
      if (u < 0) return i + 1;
    }
    return 1;
  }

  /** The context of a session's landing: the device context plus, for most visits, a traffic source. */
  landingContext(d: Draw, device: number): number {
    let u = d.next();
    for (let s = 0; s < SOURCES.length; s++) {
      u -= SOURCES[s]![3];
      if (u < 0) return this.sessionContexts[device - 1]![s]!;
    }
    return device; // direct
  }

  /** A product from the catalogue: the person's favourite category half the time, popular items more often. */
  product(d: Draw, favourite: number): Product {
    const cats = this.catalog.categories;
    const c = d.chance(0.5) ? cats[favourite]! : cats[d.weighted(this.catalog.categoryCumulative)]!;
    // Squaring a uniform skews toward the first products: a few best-sellers, a long tail.
    const u = d.next();
    return c.products[Math.floor(u * u * c.products.length)]!;
  }
}
