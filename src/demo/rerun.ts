import type { Queryable } from '../store/db.js';
import { finishedDemos } from '../store/queries/demo/state.js';
import type { DemoOptions } from './options.js';

/**
 * Without --end the demo ends today, so the same command run on a later day would ask for another
 * demo and be refused by a database that holds yesterday's. When the store already holds a finished
 * demo with the same seed, people and days, that demo is the one meant: its end date is used, and the
 * run finds it loaded. Returns the options unchanged otherwise.
 */
export async function continueEarlierDemo(db: Queryable, o: DemoOptions): Promise<DemoOptions> {
  const same = (await finishedDemos(db)).find((d) => d.parameters.seed === o.seed && d.parameters.customers === o.customers && d.parameters.days === o.days);
  return same ? { ...o, end: new Date(`${same.parameters.end}T00:00:00Z`) } : o;
}
