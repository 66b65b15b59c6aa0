/**
 * SQL for a customer's consent in force over several channels, for consentAllows
 * (src/privacy/consent/policy.ts): `'denied'` when any of them is denied, `'granted'` when every one is
 * granted, else NULL (a channel with no decision recorded). `customerId` is a column expression of our
 * own, never input; `param` is the placeholder (e.g. `$4`) of the channels joined by commas, as
 * channelsParam gives them, so the channels travel as a bound value, never as SQL text.
 */
export function consentInForceSql(customerId: string, param: string): string {
  return `(SELECT CASE WHEN bool_or(k.status = 'denied') THEN 'denied'
       WHEN count(*) FILTER (WHERE k.status = 'granted') = len(string_split(${param}, ',')) THEN 'granted' END
     FROM consent k WHERE k.customer_id = ${customerId} AND list_contains(string_split(${param}, ','), k.channel))`;
}

/** The bound value consentInForceSql reads: the channels joined by commas (channel names hold none). */
export function channelsParam(channels: readonly string[]): string {
  return channels.join(',');
}
