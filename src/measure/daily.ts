import { reportTimeZone } from '../analytics/asOf.js';
import { DailyJob, type DailyJobOptions } from '../jobs/daily.js';
import type { Store } from '../store/db.js';
import { checkSegmentHealth, type HealthReport } from './health/check.js';

export interface DailyChecksOptions extends Omit<DailyJobOptions<HealthReport>, 'onResult' | 'timeZone'> {
  readonly onReport?: (report: HealthReport) => void;
}

/**
 * The daily measurement job a running server keeps: shortly after each midnight of the workspace time
 * zone (read again before each wait, so a changed `workspace.timezone` applies from the next day) it
 * stores the previous local day's KPI snapshot of every saved segment and runs the health check
 * (health/check.ts), which keeps its report. Scheduling, clock and timers: jobs/daily.ts.
 */
export class DailyMeasureChecks extends DailyJob<HealthReport> {
  constructor(store: Store, opts: DailyChecksOptions = {}) {
    super((now) => checkSegmentHealth(store, {}, now), { ...opts, onResult: opts.onReport, timeZone: () => reportTimeZone(store) });
  }
}
