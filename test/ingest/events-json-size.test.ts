import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytesWithin } from '../../src/ingest/events/json-size.js';

// The exact size, as validate.ts measured every message before: its JSON as UTF-8 bytes.
const exact = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));

// Strings of every kind of UTF-16 unit: ASCII, control characters (written \u00XX, 6 bytes), 2- and 3-byte
// characters, surrogate pairs (4 bytes for 2 units) and lone surrogates (written \uDXXX).
const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0001', '\u007f', 'é', '€', '😀', '\ud800', '\udfff'), maxLength: 40 });
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(text, tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('jsonBytesWithin: the size of a message as JSON, against a limit', () => {
  it('agrees with the exact size of JSON.stringify for any JSON value and any limit', () => {
    fc.assert(
      fc.property(json, fc.nat({ max: 2000 }), (v, limit) => {
        const bytes = exact(v);
        const r = jsonBytesWithin(v, limit);
        expect(r).toEqual(bytes <= limit ? { within: true } : { within: false, bytes });
      }),
      { numRuns: 3000 },
    );
  });

  it('is exact at the limit, and measures what the bound cannot cover (toJSON, class instances)', () => {
    const v = { a: 'x'.repeat(100) };
    expect(jsonBytesWithin(v, exact(v))).toEqual({ within: true });
    expect(jsonBytesWithin(v, exact(v) - 1)).toEqual({ within: false, bytes: exact(v) });
    // a string of control characters is 6 bytes a unit: the bound reaches the limit, the exact size decides
    const controls = { s: '\u0001'.repeat(10) };
    expect(jsonBytesWithin(controls, exact(controls))).toEqual({ within: true });
    expect(jsonBytesWithin(controls, exact(controls) - 1)).toEqual({ within: false, bytes: exact(controls) });
    // the longest numbers JavaScript writes: 25 characters
    for (const x of [-0.0000022956230063724314, -1.7976931348623157e308, -2.2250738585072014e-308]) {
      expect(jsonBytesWithin([x], exact([x]) - 1)).toEqual({ within: false, bytes: exact([x]) });
    }
    const at = new Date(Date.UTC(2024, 0, 1));
    expect(jsonBytesWithin({ at }, 10)).toEqual({ within: false, bytes: exact({ at }) });
    expect(jsonBytesWithin({ at, n: undefined }, 100)).toEqual({ within: true });
    const own = { a: 1, toJSON: () => 'x'.repeat(50) };
    expect(jsonBytesWithin(own, 40)).toEqual({ within: false, bytes: exact(own) });
  });
});
