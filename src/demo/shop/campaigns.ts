const THEMES = ['New In', 'Weekend Edit', 'Style Notes', 'Last Chance', 'Members Preview', 'The Sale', 'Back in Stock', 'Gift Guide'];

export interface Campaign {
  readonly id: string;
  readonly name: string;
  readonly subject: string;
  /** Send time, epoch seconds (UTC). */
  readonly sentAt: number;
  /** The JSON properties shared by this campaign's email events, without the closing brace. */
  readonly jsonHead: string;
}

/**
 * The newsletter calendar: one campaign every `everyDays` days at 09:00 UTC, from the start of the
 * period to its end. Themes rotate so the names read like a real send log.
 */
export function campaignSchedule(startSec: number, endSec: number, everyDays: number): Campaign[] {
  const out: Campaign[] = [];
  const day = 86400;
  const first = Math.ceil(startSec / day) * day + 9 * 3600;
  for (let t = first, n = 1; t < endSec; t += everyDays * day, n++) {
    const theme = THEMES[(n - 1) % THEMES.length]!;
    const date = new Date(t * 1000).toISOString().slice(0, 10);
    const id = `cmp_${date.replaceAll('-', '')}`;
    const name = `${theme} ${date}`;
    const subject = `${theme}: picked for you`;
    const jsonHead = `{"campaign_id":"${id}","campaign_name":"${name}","email_subject":"${subject}","email_id":"${id}"`;
    out.push({ id, name, subject, sentAt: t, jsonHead });
  }
  return out;
}
