import { countOf } from '../../domain/words.js';
import { localDate } from '../../domain/time-zone.js';
import { SegmintError } from '../../domain/errors.js';
import { holdoutScores } from '../../predict/propensity/validate.js';
import { CHURN_90D, purchaseTarget, type TargetDef } from '../../predict/propensity/targets.js';
import { shiftDays } from '../../domain/days.js';
import { dataEnd } from '../../predict/propensity/train.js';
import { auc } from '../../predict/stats/auc.js';
import type { Store } from '../../store/db.js';
import { customerGroups } from '../../store/queries/analytics/fairness.js';
import { resolveAttributes } from './attribute.js';
import { AUDIT_LIMITS, DEFAULT_MIN_GROUP } from './audit-segment.js';
import { capitalise, percent, whoIs } from './words.js';
import { reportTimeZone } from '../asOf.js';

export interface ScoreGroup {
  readonly group: string;
  readonly missing: boolean;
  readonly customers: number;
  /** customers for whom the target happened in the test window */
  readonly positives: number;
  readonly observedRate: number;
  readonly meanPredicted: number;
  /** mean predicted − observed rate (calibration in the large): > 0 over-predicts the group */
  readonly calibrationGap: number;
  /** AUC within the group; null when the group has one outcome only (AUC undefined) */
  readonly auc: number | null;
  /** fewer customers than the audit compares: shown, left out of the gaps and flags */
  readonly small: boolean;
}

export interface TargetAudit {
  readonly target: string;
  readonly horizonDays: number;
  readonly trainCutoff: string;
  readonly testCutoff: string;
  readonly overall: Omit<ScoreGroup, 'group' | 'missing' | 'small'>;
  readonly groups: readonly ScoreGroup[];
  /** highest − lowest AUC among the compared groups with an AUC, and which */
  readonly aucGap: { readonly gap: number; readonly best: string; readonly worst: string } | null;
  /** largest − smallest calibration gap among compared groups, and which */
  readonly calibrationSpread: { readonly spread: number; readonly over: string; readonly under: string } | null;
  readonly flags: readonly string[];
}

export interface ScoresAudit {
  readonly attributes: readonly { readonly attribute: string; readonly targets: readonly TargetAudit[] }[];
  readonly minGroup: number;
  readonly limits: readonly string[];
}

/** AUC gaps from this size, and calibration gaps from this many points, are said in words. */
const AUC_GAP_WORTH_SAYING = 0.05;
const CALIBRATION_WORTH_SAYING = 0.05;

/**
 * Audits the propensity scores (purchase_<horizon>d and churn_90d) per group: on an honest time split
 * (train at c1, score at c2 = c1 + h, outcomes in (c2, c2 + h], as `segmint propensity validate`), per
 * group the observed rate, the mean prediction and their gap (calibration in the large), and the AUC
 * within the group; then the gap between the best and worst ranked groups, and flags in words.
 */
export async function auditScores(store: Store, by: string | readonly string[], opts: { cutoff?: Date; horizonDays?: number; minGroup?: number } = {}): Promise<ScoresAudit> {
  const minGroup = opts.minGroup ?? DEFAULT_MIN_GROUP;
  if (!Number.isInteger(minGroup) || minGroup < 1) throw new SegmintError('audit_bad_min_group', `--min-group must be a whole number of at least 1, not ${minGroup}.`, { field: 'minGroup' });
  const attributes = await resolveAttributes(store, by);
  const { last } = await dataEnd(store);
  // The cutoffs are told as days of the workspace zone, as --cutoff reads them.
  const tz = await reportTimeZone(store);
  const targets: TargetDef[] = [purchaseTarget(opts.horizonDays ?? 30), CHURN_90D];
  const scored = [];
  for (const t of targets) {
    const c1 = opts.cutoff ?? shiftDays(last, -2 * t.horizonDays);
    scored.push({ target: t, trainCutoff: c1, ...(await holdoutScores(store, t, c1, last)) });
  }
  const out: { attribute: string; targets: TargetAudit[] }[] = [];
  for (const a of attributes) {
    const groupOf = await customerGroups(store, a.sql);
    const audits = scored.map((s) => {
      const keys = s.rows.map((r) => groupOf.get(r.customer_id) ?? null);
      const byGroup = new Map<string | null, number[]>();
      keys.forEach((k, i) => {
        const list = byGroup.get(k);
        if (list) list.push(i);
        else byGroup.set(k, [i]);
      });
      const groups = [...byGroup]
        .map(([k, idx]) => ({ group: a.label(k), missing: k === null, small: idx.length < minGroup, ...summary(idx.map((i) => s.p[i]!), idx.map((i) => s.y[i]!)) }))
        .sort((x, y) => y.customers - x.customers || x.group.localeCompare(y.group));
      return targetAudit(a.name, s.target, localDate(s.trainCutoff, tz), localDate(s.testCutoff, tz), summary(Array.from(s.p), Array.from(s.y)), groups);
    });
    out.push({ attribute: a.name, targets: audits });
  }
  return { attributes: out, minGroup, limits: AUDIT_LIMITS };
}

/** Counts, rates, calibration gap and AUC of a set of (prediction, outcome) pairs. */
export function summary(p: readonly number[], y: readonly number[]): Omit<ScoreGroup, 'group' | 'missing' | 'small'> {
  const n = p.length;
  const positives = y.reduce((a, b) => a + b, 0);
  const meanPredicted = n > 0 ? p.reduce((a, b) => a + b, 0) / n : 0;
  const observedRate = n > 0 ? positives / n : 0;
  const a = n > 0 ? auc(p, y) : NaN;
  return { customers: n, positives, observedRate, meanPredicted, calibrationGap: meanPredicted - observedRate, auc: Number.isNaN(a) ? null : a };
}

function targetAudit(attribute: string, t: TargetDef, trainCutoff: string, testCutoff: string, overall: TargetAudit['overall'], groups: ScoreGroup[]): TargetAudit {
  const what = t.churn ? `Churn (${countOf(t.horizonDays, 'day')})` : `Purchase (${countOf(t.horizonDays, 'day')})`;
  const compared = groups.filter((g) => !g.small);
  const ranked = compared.filter((g) => g.auc !== null).sort((x, y) => y.auc! - x.auc!);
  const aucGap = ranked.length >= 2 ? { gap: ranked[0]!.auc! - ranked[ranked.length - 1]!.auc!, best: ranked[0]!.group, worst: ranked[ranked.length - 1]!.group } : null;
  const cal = [...compared].sort((x, y) => y.calibrationGap - x.calibrationGap);
  const calibrationSpread = cal.length >= 2 ? { spread: cal[0]!.calibrationGap - cal[cal.length - 1]!.calibrationGap, over: cal[0]!.group, under: cal[cal.length - 1]!.group } : null;
  const flags: string[] = [];
  for (const g of compared) {
    const who = whoIs(attribute, g.group, g.missing);
    if (g.auc !== null && overall.auc !== null && overall.auc - g.auc >= AUC_GAP_WORTH_SAYING) {
      flags.push(`${what} scores rank ${who} less well than everyone (AUC ${g.auc.toFixed(2)} against ${overall.auc.toFixed(2)}).`);
    }
    if (Math.abs(g.calibrationGap) >= CALIBRATION_WORTH_SAYING) {
      flags.push(
        `${what} scores ${g.calibrationGap > 0 ? 'over' : 'under'}-predict for ${who} by ${(Math.abs(g.calibrationGap) * 100).toFixed(0)} points ` +
          `(predicted ${percent(g.meanPredicted)}, observed ${percent(g.observedRate)}).`,
      );
    }
    if (g.auc === null) flags.push(`${capitalise(who)}: no AUC for ${what.toLowerCase()}, every one of them had the same outcome.`);
  }
  if (aucGap && aucGap.gap >= AUC_GAP_WORTH_SAYING) {
    flags.push(`${what}: the AUC gap between groups is ${aucGap.gap.toFixed(2)} (${aucGap.best} best, ${aucGap.worst} worst).`);
  }
  if (flags.length === 0) flags.push(`${what} scores rank and calibrate about alike across ${attribute} groups.`);
  return { target: t.name, horizonDays: t.horizonDays, trainCutoff, testCutoff, overall, groups, aucGap, calibrationSpread, flags };
}
