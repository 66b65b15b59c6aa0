import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parseReportMoment, reportTimeZone } from '../../analytics/asOf.js';
import { parseAsOf } from '../../domain/as-of.js';
import { checkSegmentHealth } from '../../measure/health/check.js';
import { kpiRange } from '../../measure/kpis/days.js';
import type { EnsureProgress } from '../../measure/kpis/ensure.js';
import { segmentKpis } from '../../measure/kpis/read.js';
import { formatHealth, formatKpis } from '../../measure/format/kpis.js';
import { intOption, shareOption } from '../../segments/manage/input.js';
import { cliStderr, output, withStore } from '../context.js';

/** A bar on stderr while missing days are computed (on a terminal only; nothing on a pipe). */
function dayProgress(): { progress: EnsureProgress; stop: () => void } {
  if (!cliStderr().isTTY) return { progress: () => undefined, stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  return {
    progress: (done, total) => {
      if (!bar) {
        bar = new cliProgress.SingleBar({ stream: cliStderr() as NodeJS.WriteStream, format: 'computing daily KPIs [{bar}] {value}/{total} segment-days | {eta_formatted} left', clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}

/**
 * Measurement's subcommands of `segmint segments` (kpis, health), kept out of segments.ts so the two
 * can change apart. Registered after the segments command; it attaches to it.
 */
export function register(program: Command): void {
  const seg = program.commands.find((c) => c.name() === 'segments') ?? program.command('segments');

  seg
    .command('kpis <names...>')
    .description('Daily KPIs of saved segments (size, entries, exits, orders, revenue, conversion, AOV, email, churn-risk mix); several names side by side')
    .option('--from <date>', 'first day, in the workspace time zone (default: 29 days before --to)')
    .option('--to <date>', 'last day, in the workspace time zone (default: yesterday)')
    .option('--json', 'print JSON')
    .action(async (names: string[], opts: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      // A date that is no date is refused before the database is opened; the range is checked in the workspace zone.
      if (opts.from !== undefined) parseAsOf(opts.from, '--from');
      if (opts.to !== undefined) parseAsOf(opts.to, '--to');
      await withStore(cmd, async (store) => {
        const { from, to } = kpiRange(opts.from, opts.to, await reportTimeZone(store));
        const p = dayProgress();
        const kpis = await segmentKpis(store, names, from, to, p.progress).finally(p.stop);
        output(opts.json, names.length === 1 ? kpis[0] : kpis, () => formatKpis(kpis));
      });
    });

  seg
    .command('health')
    .description('Warnings about saved segments: too small, near-duplicates, stale, forgotten, over-segmentation')
    .option('--min-size <n>', 'too small below this many members', '50')
    .option('--min-share <x>', 'too small below this share of the base (0.01 or 1%)', '1%')
    .option('--stale-days <n>', 'stale after this many days without an entry or exit', '30')
    .option('--forgotten-days <n>', 'forgotten after this many days without a workflow, export or experiment using it', '60')
    .option('--as-of <time>', 'check as of this moment: the last whole day before it in the workspace time zone (default: now)')
    .option('--json', 'print JSON')
    .action(async (opts: { minSize: string; minShare: string; staleDays: string; forgottenDays: string; asOf?: string; json?: boolean }, cmd: Command) => {
      const settings = {
        minSize: intOption(opts.minSize, '--min-size')!,
        minShare: shareOption(opts.minShare, '--min-share')!,
        staleDays: intOption(opts.staleDays, '--stale-days', 1)!,
        forgottenDays: intOption(opts.forgottenDays, '--forgotten-days', 1)!,
      };
      parseAsOf(opts.asOf); // refused before the database is opened
      await withStore(cmd, async (store) => {
        const p = dayProgress();
        const report = await checkSegmentHealth(store, settings, parseReportMoment(opts.asOf, await reportTimeZone(store)), p.progress).finally(p.stop);
        output(opts.json, report, () => formatHealth(report));
      });
    });
}
