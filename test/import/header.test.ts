import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Header, detectDelimiter, splitCsvLine } from '../../src/ingest/csv/header.js';

/** RFC 4180 writing, independent of the reader: quote a field when it holds a delimiter or a quote. */
function writeField(f: string, d: string): string {
  return f.includes(d) || f.includes('"') ? `"${f.replace(/"/g, '""')}"` : f;
}

describe('CSV header line', () => {
  it('splits what an RFC 4180 writer wrote, for any fields and delimiter', () => {
    const field = fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s) && s === s.trim());
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), fc.constantFrom(',', ';', '\t', '|'), (fields, d) => {
        expect(splitCsvLine(fields.map((f) => writeField(f, d)).join(d), d)).toEqual(fields);
      }),
    );
  });

  it('detects the delimiter and finds columns by name, whatever their case', () => {
    expect(detectDelimiter('a;b;"c,d"')).toBe(';');
    expect(detectDelimiter('Order\tDate\tTotal')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
    const h = Header.parse('\uFEFFName, Email ,Lineitem quantity');
    expect(h.find('email')).toBe(1);
    expect(h.find('Missing', 'LINEITEM QUANTITY')).toBe(2);
    expect(h.has('nope')).toBe(false);
  });
});
