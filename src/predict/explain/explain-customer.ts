import { countOf } from '../../domain/words.js';
import type { Store } from '../../store/db.js';
import { formatMoment, reportTimeZone } from '../../analytics/asOf.js';
import { cellNames, DEFAULT_GROUPS_5 } from '../../analytics/rfm/groups.js';
import { defaultAsOf, rfmOfCustomer } from '../../store/queries/analytics/rfm.js';
import { rfmSnapshot } from '../../store/queries/propensity-explain.js';
import { propensityFeatures } from '../../store/queries/propensity-features.js';
import { customerScores } from '../../store/queries/propensity-models.js';
import { contributions, scoreModel, themeContributions, type Contribution, type ThemeContribution } from '../propensity/model.js';
import { loadModel } from '../propensity/stored-model.js';
import { targetByName } from '../propensity/targets.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import { pAliveAt } from './p-alive.js';
import { aliveWords, capitalise, historyWords, joinWords, percent, strength } from './words.js';

export interface ExplainedScore {
  readonly target: string;
  /** The model's probability for this customer at asOf. */
  readonly probability: number;
  /** The score stored by the last `propensity score` run, when there is one. */
  readonly stored: { readonly probability: number; readonly asOf: string } | null;
  /** The three themes that move the log-odds most against an average customer, with their inputs in words. */
  readonly topFactors: readonly ThemeContribution[];
  /** The three single inputs with the largest weight × standardised value. */
  readonly topContributions: readonly Contribution[];
  readonly sentence: string;
}

export interface CustomerExplanation {
  readonly customerId: string;
  readonly asOf: string;
  readonly history: { orders: number; firstOrderDaysAgo: number; lastOrderDaysAgo: number; netSpend: number } | null;
  /** P(alive) and where it came from: the stored `clv predict` result, or a BG/NBD fit made for this explanation. */
  readonly activity: { pAlive: number; words: string; source: string } | null;
  readonly scores: readonly ExplainedScore[];
  /** The RFM group: the saved snapshot when it describes the moment asked about, else computed for it. */
  readonly rfm: ExplainedRfm | null;
  /** The explanation as plain sentences, in the order a person would read them. */
  readonly sentences: readonly string[];
}

const TARGETS = ['purchase_30d', 'churn_90d'];

/**
 * Says in plain words why a customer (an id, or an identifier they are known by) has their scores at
 * asOf (default: midnight after the day of the latest order, as `segmint rfm` and `clusters`):
 * - their order history, and how likely they are still a customer at asOf (pAliveAt: the stored
 *   `clv predict` value only when it is of that day, else the stored `clv fit` applied at asOf, else
 *   BG/NBD fitted here on everyone's history at asOf); `activity.source` says which;
 * - for each trained propensity model, the probability and what moves it most: each input's
 *   weight × standardised value is its change in log-odds against an average customer, and the sentence
 *   names the three themes (sums over related inputs) with the largest such change;
 * - their RFM group when an RFM snapshot exists.
 */
export async function explainCustomer(store: Store, ref: string, asOf?: Date): Promise<CustomerExplanation> {
  const customerId = await resolveCustomer(store, ref);
  // The default moment of every describing command (rfm, clusters, overview): midnight after the day of
  // the latest order (in the workspace time zone), so an explanation and `segmint rfm` speak of the same moment.
  const tz = await reportTimeZone(store);
  const at = asOf ?? (await defaultAsOf(store, new Date(), tz)) ?? new Date();
  const [row] = await propensityFeatures(store, at, [customerId]);
  const sentences: string[] = [];
  let activity: CustomerExplanation['activity'] = null;
  if (!row) {
    sentences.push(`No orders by ${formatMoment(at, tz)}: there is no purchase history to explain scores from.`);
  } else {
    const history = historyWords(row.orders, row.tenure_days, row.recency_days);
    const alive = await pAliveAt(store, customerId, at, tz);
    if (alive) {
      const p = alive.pAlive;
      // BG/NBD lets customers drop out only right after a purchase, so a one-order customer is "alive"
      // by construction; saying "almost surely active" about them would mislead.
      const words = row.orders > 1 ? `customers like this ${aliveWords(p)}` : 'with a single order the model cannot yet tell whether they have lapsed';
      activity = { pAlive: p, words, source: alive.source };
      sentences.push(`${capitalise(history)}; ${words} (P(alive) ${p.toFixed(2)}).`);
    } else {
      sentences.push(`${capitalise(history)}.`);
    }
  }
  const stored = await customerScores(store, customerId);
  const scores: ExplainedScore[] = [];
  for (const target of TARGETS) {
    const loaded = await loadModel(store, target);
    if (!loaded || !row) continue;
    const def = targetByName(target);
    const probability = scoreModel(loaded.model, [row])[0] as number;
    const top = contributions(loaded.model, row).slice(0, 3);
    const factors = themeContributions(loaded.model, row).slice(0, 3);
    const what = def.churn ? `churn risk (no order in ${countOf(def.horizonDays, 'day')})` : `chance of an order in the next ${countOf(def.horizonDays, 'day')}`;
    const reasons = factors.map(
      (f) => `${f.theme} ${f.contribution > 0 ? 'raises' : 'lowers'} it ${strength(f.contribution)} (${f.words.join(', ')})`,
    );
    const sentence = `${capitalise(what)}: ${percent(probability)}${reasons.length ? `; mainly ${joinWords(reasons)}` : ''}.`;
    const s = stored.find((x) => x.target === target);
    scores.push({
      target,
      probability,
      stored: s ? { probability: s.probability, asOf: s.as_of.toISOString() } : null,
      topFactors: factors,
      topContributions: top,
      sentence,
    });
    sentences.push(sentence);
  }
  const purchase = scores.find((x) => x.target === 'purchase_30d');
  if (activity && row && row.orders > 1 && purchase && activity.pAlive < 0.2 && purchase.probability > 0.3) {
    // A linear model has no notion of "bought a lot, then vanished"; BG/NBD does. Say so rather than
    // leave two contradicting numbers for the reader to reconcile.
    sentences.push(
      'The two models disagree: a history like this (many orders, then a long silence) is rare among the customers ' +
        'the propensity model learnt from, and P(alive) is the better guide here.',
    );
  }
  const rfm = await rfmFor(store, customerId, at, asOf !== undefined);
  if (rfm) sentences.push(rfmSentence(rfm));
  return {
    customerId,
    asOf: at.toISOString(),
    history: row
      ? { orders: row.orders, firstOrderDaysAgo: row.tenure_days, lastOrderDaysAgo: row.recency_days, netSpend: row.net_spend }
      : null,
    activity,
    scores,
    rfm,
    sentences,
  };
}

export interface ExplainedRfm {
  readonly group: string;
  readonly score: string;
  /** The moment the group describes. */
  readonly asOf: string;
  readonly source: 'snapshot' | 'computed';
}

/**
 * The customer's RFM group for the moment explained. The saved snapshot is used when no as-of was asked
 * for (it is labelled with its own date) or when it describes the same day; otherwise the group is
 * computed for `at` with the default 5-bin table, so a June explanation never shows a December group.
 */
async function rfmFor(store: Store, customerId: string, at: Date, asOfGiven: boolean): Promise<ExplainedRfm | null> {
  const saved = await rfmSnapshot(store, customerId);
  if (saved && (!asOfGiven || Math.abs(saved.as_of.getTime() - at.getTime()) <= 86_400_000)) {
    return { group: saved.rfm_group, score: saved.score, asOf: saved.as_of.toISOString(), source: 'snapshot' };
  }
  const row = await rfmOfCustomer(store, customerId, at, DEFAULT_GROUPS_5.bins, cellNames(DEFAULT_GROUPS_5));
  return row ? { group: row.rfm_group, score: row.score, asOf: at.toISOString(), source: 'computed' } : null;
}

/** "RFM group Champions (score 555, snapshot of 2011-12-10)." or "(…, as of 2011-06-01)." */
export function rfmSentence(r: ExplainedRfm): string {
  return `RFM group ${r.group} (score ${r.score}, ${r.source === 'snapshot' ? 'snapshot of' : 'as of'} ${r.asOf.slice(0, 10)}).`;
}
