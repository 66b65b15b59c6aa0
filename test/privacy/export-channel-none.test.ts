import { describe, expect, it } from 'vitest';
import { exportChannel } from '../../src/privacy/consent/policy.js';

// Trial 13, H1: `--channel none` is meant for exports without contact details (docs/consent.md: "an export
// without contact details (ids and metrics only) targets `none` and is not filtered"), but it is accepted
// for an export that holds emails or phone numbers, and for an ads audience: every member's email is
// then written, those who denied email (or ads) consent included, with no consent line at all.
// An export holding contact details must target a real channel (or be refused with a clear error).
function channelOrRefusal(o: Parameters<typeof exportChannel>[0]): string {
  try {
    return exportChannel(o);
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
}

describe('an export holding contact details is filtered for a consent channel', () => {
  it('default fields (with email) and --channel none do not skip the consent filter', () => {
    expect(channelOrRefusal({ channel: 'none', fields: ['customer_id', 'email', 'orders_count'] })).not.toBe('none');
  });
  it('an ads audience with --channel none does not skip the consent filter', () => {
    expect(channelOrRefusal({ channel: 'none', audience: true, fields: [] })).not.toBe('none');
  });
  it('phone with --channel none does not skip the consent filter', () => {
    expect(channelOrRefusal({ channel: 'none', fields: ['customer_id', 'phone'] })).not.toBe('none');
  });
});
