import { describe, expect, it } from 'vitest';
import { exportSummaryLine } from '../../src/segments/manage/export.js';
import { parseSegment } from '../../src/segments/syntax/parse.js';

// Trial 13, C1: "wrote 1 rows for 1 members", and "unexpected the text … after a complete condition".
describe('the words of two refusals and summaries', () => {
  it('a one-member export is "1 row for 1 member"', () => {
    expect(exportSummaryLine({ rows: 1, members: 1, channel: 'none', channels: [], denied: 0, withoutConsent: 0, withoutEmail: 0 })).toBe('wrote 1 row for 1 member');
    expect(exportSummaryLine({ rows: 2, members: 2, channel: 'none', channels: [], denied: 0, withoutConsent: 0, withoutEmail: 0 })).toBe('wrote 2 rows for 2 members');
  });
  it('text after a complete condition is "found the text …", not "unexpected the text …"', () => {
    const r = parseSegment(`traits.name = 'x'' or 1=1 --'`);
    const messages = JSON.stringify(r);
    expect(messages).toContain('found the text');
    expect(messages).not.toContain('unexpected the');
  });
});
