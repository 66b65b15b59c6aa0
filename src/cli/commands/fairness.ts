import type { Command } from 'commander';
import { auditScores } from '../../analytics/fairness/audit-scores.js';
import { auditSegment, DEFAULT_MIN_GROUP } from '../../analytics/fairness/audit-segment.js';
import { formatScoresAudit, formatSegmentAudit } from '../../analytics/fairness/format.js';
import { intOption } from '../../segments/manage/input.js';
import { parseCutoff, readCutoff } from '../../predict/propensity/time.js';
import { HORIZON_MAX_DAYS } from '../../predict/propensity/targets.js';
import { output, servedCommand, withStore } from '../context.js';
import { attachedGroup } from './attach.js';

const by = '--by <attributes>';
const byHelp = 'comma-separated traits (country, address.country) or metrics in bins (total_spent, orders_count:5)';
const minGroup = ['--min-group <n>', `groups with fewer customers are not compared one by one (default ${DEFAULT_MIN_GROUP})`] as const;

/**
 * The fairness audits (docs/fairness.md): `segments audit` (here) and `propensity audit`
 * (registerPropensityAudit), attached to those commands, so registered after them.
 */
export function registerSegmentAudit(program: Command): void {
  attachedGroup(program, 'segments', 'fairness')
    .command('audit')
    .description("Audit a segment's composition per group: representation ratio, four-fifths rule, chi-squared test, in plain words")
    .argument('<name>', 'saved segment (its stored membership is audited)')
    .requiredOption(by, byHelp)
    .option(...minGroup)
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { by: string; minGroup?: string; json?: boolean }, cmd: Command) => {
      const min = intOption(opts.minGroup, '--min-group', 1);
      const served = servedCommand();
      const live = served === undefined ? 'unknown' : served.engine?.isLive(name) === true ? 'kept' : 'not-kept';
      const a = await withStore(cmd, (store) => auditSegment(store, name, opts.by, { minGroup: min, live }));
      output(opts.json, a, () => formatSegmentAudit(a));
    });
}

/** `segmint propensity audit`: purchase and churn scores audited per group. */
export function registerPropensityAudit(program: Command): void {
  attachedGroup(program, 'propensity', 'fairness')
    .command('audit')
    .description('Audit purchase and churn scores per group on a time split: calibration and AUC per group, and the gap between groups')
    .requiredOption(by, byHelp)
    .option('--cutoff <date>', 'training cutoff (default: the last order minus twice the horizon)')
    .option('--horizon <days>', 'purchase horizon in days', '30')
    .option(...minGroup)
    .option('--json', 'print JSON')
    .action(async (opts: { by: string; cutoff?: string; horizon: string; minGroup?: string; json?: boolean }, cmd: Command) => {
      if (opts.cutoff !== undefined) parseCutoff(opts.cutoff, 'cutoff'); // refused before the database is opened
      const a = await withStore(cmd, async (store) =>
        auditScores(store, opts.by, { cutoff: await readCutoff(store, opts.cutoff, 'cutoff'), horizonDays: intOption(opts.horizon, '--horizon', 1, HORIZON_MAX_DAYS)!, minGroup: intOption(opts.minGroup, '--min-group', 1) }),
      );
      output(opts.json, a, () => formatScoresAudit(a));
    });
}
