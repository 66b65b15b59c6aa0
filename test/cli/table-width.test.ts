import { describe, expect, it } from 'vitest';
import { alignColumns, renderTable } from '../../src/analytics/format/table.js';
import { auditAttribute } from '../../src/analytics/fairness/audit-segment.js';
import { formatSegmentAudit } from '../../src/analytics/fairness/format.js';
import { displayWidth, fitDisplay } from '../../src/domain/display-width.js';
import { renderList } from '../../src/profiles/render.js';
import { addWebhook } from '../../src/realtime/webhooks/manage.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';
import { formatList } from '../../src/segments/manage/format.js';

/**
 * Trial 10, C10: tables misaligned with wide (CJK, emoji) or combining characters and long ids: widths
 * were counted in UTF-16 units. The reference widths are those of UAX #11 and UTS #51 (a CJK ideograph,
 * a Hangul syllable and an emoji shown as a picture take two columns; a combining mark none).
 */
const NAMES = ['plain', 'e\u0301', 'VIP 🌟 عملاء', 'שלום', '顧客リスト', '한국', '👩‍💻 devs', '❤️ fans', 'x'.repeat(18)];

/**
 * Where each cell sits on screen in a line whose cells are known, in terminal columns: its start for a
 * left-aligned column, its end for a right-aligned one (`right`), which must be the same on every line.
 */
function places(line: string, cells: readonly string[], right: readonly boolean[]): number[] {
  const out: number[] = [];
  let rest = line;
  let at = 0;
  cells.forEach((c, k) => {
    const i = rest.indexOf(c);
    at += displayWidth(rest.slice(0, i));
    out.push(right[k] ? at + displayWidth(c) : at);
    at += displayWidth(c);
    rest = rest.slice(i + c.length);
  });
  return out;
}

describe('display width', () => {
  it('counts terminal columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('é')).toBe(1);
    expect(displayWidth('顧客')).toBe(4);
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('🌟')).toBe(2);
    expect(displayWidth('👩‍💻')).toBe(2);
    expect(displayWidth('❤️')).toBe(2);
    expect(displayWidth('שלום')).toBe(4);
    expect(displayWidth('عملاء')).toBe(5);
    expect(displayWidth('a\u200bb')).toBe(2);
  });
});

describe('text fitted to a width', () => {
  it('pads what fits and cuts the middle of what does not between graphemes, never splitting a pair', () => {
    expect(fitDisplay('abc', 5)).toBe('abc  ');
    expect(fitDisplay('abcdefgh', 5)).toBe('ab…gh');
    expect(fitDisplay('顧客リスト', 5)).toBe('顧…ト');
    expect(fitDisplay('🌟🌟🌟', 4)).toBe('🌟… ');
    expect(fitDisplay('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
    for (const name of NAMES) {
      for (let w = 1; w <= 12; w++) {
        const fitted = fitDisplay(name, w);
        expect(displayWidth(fitted), `${name} in ${w}`).toBe(w);
        // no lone surrogate: the text survives a round trip through UTF-8
        expect(Buffer.from(fitted, 'utf8').toString('utf8')).toBe(fitted);
      }
    }
  });

  it('fairness tables line up wide group names and keep two long names apart', () => {
    const long = 'Großbritannien und Nordirland, Vereinigtes Königreich';
    const groups = [...NAMES, `${long} (Nord)`, `${long} (Süd)`].map((group, i) => ({ group, base: 100 + i, members: 10 + i }));
    const a = auditAttribute({ name: 'country', kind: 'trait', label: (g) => g ?? '-' }, groups, 1);
    const text = formatSegmentAudit({ segment: 's', refreshedAsOf: '2024-01-01', base: 1, members: 1, rate: 1, minGroup: 1, attributes: [a], limits: [] });
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('  group'));
    const rows = lines.slice(header + 1, header + 1 + groups.length);
    expect(lines[header + 1 + groups.length]).toMatch(/^ {2}chi-squared/);
    // the base column (100 + i) ends at the same terminal column on every row
    const ends = rows.map((l, i) => displayWidth(l.slice(0, l.indexOf(` ${100 + i}  `) + 1 + String(100 + i).length)));
    expect(new Set(ends).size).toBe(1);
    expect(rows.filter((l) => l.includes('…'))).toHaveLength(2);
    expect(new Set(rows.map((l) => l.slice(0, 44))).size).toBe(rows.length);
  });
});

describe('one table printer for every table', () => {
  it('renderTable lines up every column after wide, combining and right-to-left names', () => {
    const rows = NAMES.map((n, i) => [n, String(i * 1000), 'after']);
    const lines = renderTable(['name', 'count', 'next'], rows).split('\n');
    const right = [false, true, false];
    const expected = places(lines[2]!, rows[0]!, right);
    rows.forEach((r, i) => expect(places(lines[i + 2]!, r, right), r[0]).toEqual(expected));
    expect(displayWidth(lines[1]!)).toBe(Math.max(...lines.map(displayWidth)));
  });

  it('segments list lines up the members and the query', () => {
    const list = NAMES.map((name, i) => ({ id: `s${i}`, name, members: i * 10, refreshedAt: new Date(0), query: `q${i}` }));
    const lines = formatList(list as never).split('\n');
    const right = [false, true, false];
    const at = (i: number) => places(lines[i]!, [list[i]!.name, String(i * 10), `q${i}`], right);
    lines.forEach((_, i) => expect(at(i), list[i]!.name).toEqual(at(0)));
  });

  it('customers list lines up after an 18-digit user id and wide emails', () => {
    const rows = [
      { customer_id: 'c_1', user_id: '123456789012345678', email: 'a@b.c', orders_count: 1, total_spent: 10, last_order_at: new Date(0) },
      { customer_id: 'c_2', user_id: 'u2', email: '顧客@例え.jp', orders_count: 22, total_spent: 1234.5, last_order_at: new Date(0) },
      { customer_id: 'c_3', user_id: null, email: null, orders_count: 3, total_spent: 0, last_order_at: null },
    ];
    const lines = renderList(rows as never).split('\n');
    expect(lines[0]).toMatch(/^customer_id\s+user_id\s+email\s+orders\s+total_spent\s+last_order$/);
    const right = [false, false, false, true, true];
    const cells = [
      ['customer_id', 'user_id', 'email', 'orders', 'total_spent'],
      ['c_1', '123456789012345678', 'a@b.c', '1', '10.00'],
      ['c_2', 'u2', '顧客@例え.jp', '22', '1234.50'],
      ['c_3', '-', '-', '3', '0.00'],
    ];
    lines.forEach((l, i) => expect(places(l, cells[i]!, right), l).toEqual(places(lines[0]!, cells[0]!, right)));
    expect(alignColumns([['a', 'b'], ['顧客', 'c']])).toEqual(['a     b', '顧客  c']);
  });

  it('webhooks list lines up its columns after wide segment names', async () => {
    const t = await tempStore();
    try {
      for (const name of ['vip', '顧客 🌟']) {
        await createSegment(t.store, { name, definition: { query: 'total_spent > 1000' } });
        await addWebhook(t.store, { segment: name, url: `https://example.com/${encodeURIComponent(name)}` });
      }
      t.store.close();
      const lines = (await runCli(t.path, 'webhooks', 'list')).trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      const urlAt = lines.map((l) => displayWidth(l.slice(0, l.indexOf('https://'))));
      expect(urlAt[0]).toBe(urlAt[1]);
    } finally {
      t.cleanup();
    }
  });
});

