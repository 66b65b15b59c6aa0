import { SegmintError } from '../../../domain/errors.js';
import { day } from './load-history.js';
import { startOfDay } from './options.js';

/**
 * Refuses a moment the models would read past the end of the data: the store knows no order after
 * `range.last`, so a calibration end, holdout end or as-of day later than that day would count the days
 * without data as days without purchases: everyone would look lapsed, and the fit would be saved as
 * the latest. `option` names the flag in the message.
 */
export function refuseAfterData(moment: Date, range: { last: Date }, option: string): void {
  const lastDay = startOfDay(range.last);
  if (moment.getTime() <= lastDay.getTime()) return;
  throw new SegmintError(
    'clv_after_data',
    `${option} ${day(moment)} is after the latest order (${day(lastDay)}): the days in between have no data, and the ` +
      `model would read them as days without purchases. Import newer orders, or use ${option} ${day(lastDay)} or earlier.`,
    { option, value: day(moment), lastOrder: day(lastDay) },
  );
}

/** Whole days from the day of the latest order to `moment` (0 when not after it). */
export function daysAfterData(moment: Date, range: { last: Date }): number {
  return Math.max(0, Math.round((moment.getTime() - startOfDay(range.last).getTime()) / 86_400_000));
}
