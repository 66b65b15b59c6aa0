import { formatMoment } from '../../analytics/asOf.js';
import { localDate } from '../../domain/time-zone.js';
import type { Store } from '../../store/db.js';
import { clvHistories, type ClvGrain } from '../../store/queries/clv.js';
import { latestClvModel } from '../../store/queries/clv-models.js';
import { storedPAlive } from '../../store/queries/propensity-explain.js';
import { propensityFeatures } from '../../store/queries/propensity-features.js';
import { purchaseModel } from '../clv/purchase-model.js';
import { modelsFromRecord } from '../clv/run/models-from-record.js';
import { DAY_MS, UNIT_DAYS, type TimeUnit } from '../clv/run/options.js';
import { summariesFromHistory } from '../clv/run/summaries-from-history.js';
import { bgNbdBaseline } from '../propensity/bgnbd-baseline.js';

/** A P(alive) and, in words, where it came from and which day it is of. */
export interface PAliveAt {
  readonly pAlive: number;
  readonly source: string;
}

/**
 * P(alive) of one customer at the moment `at`, always of that moment (trial 12, M3: a stored prediction
 * of another day was shown as if it were of `at`). In order of preference:
 * 1. the stored `clv predict` value, only when its day is the calendar day of `at` in the workspace zone
 *    `tz` (a prediction --as-of DAY measures T up to the start of DAY);
 * 2. the latest stored `clv fit` (its parameters describe the population) applied to the customer's
 *    transactions before `at`, T up to `at`: at a midnight with no orders after it, what `clv predict
 *    --as-of` that day stores (CDNOW customer 05420 at 1998-07-01 with the published fit: 0.019, Fader,
 *    Hardie & Lee 2005, P(alive) of BG/NBD);
 * 3. a BG/NBD fit made here on everyone's history at `at` (bgNbdBaseline).
 * Undefined when none can be had (no orders, a fit that does not converge).
 */
export async function pAliveAt(store: Store, customerId: string, at: Date, tz: string): Promise<PAliveAt | undefined> {
  const day = localDate(at, tz);
  const stored = await storedPAlive(store, customerId);
  if (stored && stored.as_of.toISOString().slice(0, 10) === day) {
    return { pAlive: stored.p_alive, source: `segmint clv predict (${stored.model}, as of ${day})` };
  }
  const fromFit = await pAliveFromStoredFit(store, customerId, at, formatMoment(at, tz));
  if (fromFit) return fromFit;
  const everyone = await propensityFeatures(store, at);
  const bg = bgNbdBaseline(everyone, 30);
  const i = everyone.findIndex((r) => r.customer_id === customerId);
  if ('unavailable' in bg || i < 0) return undefined;
  return { pAlive: bg.pAlive[i] as number, source: `BG/NBD fitted on ${everyone.length} customers' orders up to ${formatMoment(at, tz)}` };
}

/**
 * P(alive) from the latest stored fit, with the customer's transactions before `at` and T running from
 * their first transaction to `at` itself (for a midnight, the day count `clv predict --as-of` uses).
 */
async function pAliveFromStoredFit(store: Store, customerId: string, at: Date, moment: string): Promise<PAliveAt | undefined> {
  const record = await latestClvModel(store);
  if (!record) return undefined;
  const grain = record.grain as ClvGrain;
  // Only this customer's history: each summary depends on the customer's own transactions alone.
  const history = await clvHistories(store, grain, at, at, customerId);
  const i = history.customerIds.indexOf(customerId);
  if (i < 0) return undefined;
  // summariesFromHistory ends a day-grain window at the day before its exclusive end: give it the day after.
  const end = new Date(at.getTime() + (grain === 'day' ? DAY_MS : 0));
  const data = summariesFromHistory(history, grain, end, UNIT_DAYS[record.time_unit as TimeUnit]);
  const c = { x: data.x[i] as number, tx: data.tx[i] as number, T: data.T[i] as number };
  const pAlive = purchaseModel(modelsFromRecord(record).purchases).pAlive(c);
  const fitted = record.fitted_at.toISOString().slice(0, 10);
  return { pAlive, source: `segmint clv fit (${record.model}, fitted ${fitted}) applied to the orders before ${moment}` };
}
