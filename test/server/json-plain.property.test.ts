import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonBody, readLosslessJson } from '../../src/server/body/json.js';

/**
 * readJsonBody takes JSON.parse's result when the text is plain (src/server/body/json.ts) and the
 * lossless reader's otherwise. Both must read every text alike: the same value (numbers compared with
 * Object.is, so -0 is not 0), or a refusal with the same error.
 */
function outcome(read: (text: string) => unknown, text: string): { value: unknown } | { error: string } {
  try {
    return { value: read(text) };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { error: `${err.code ?? 'not a SegmintError'}: ${err.message ?? String(e)}` };
  }
}

function same(text: string): void {
  const got = outcome((t) => readJsonBody(t), text);
  const want = outcome(readLosslessJson, text);
  expect({ text, got }).toEqual({ text, got: want });
}

// Numbers as clients write them, plain or not: exponents, -0, 1.0, integers past 2^53, under- and overflow.
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('-0', '0', '1.0', '1.50', '1e3', '1E3', '1e+3', '2.5e-3', '9007199254740991', '9007199254740992', '-9007199254740993', '157963456373623802', '0.1', '123456789012345678901234567890', '1e400', '-1e400', '1e-400', '5e-324', '0.30000000000000004', '00', '-', '1.', '.5', '01'),
);
const key = fc.oneof(fc.constantFrom('id', 'userId', 'order_id', 'sku', 'price', 'a', '2', '__proto__', '\\ud800', 'x\\udc00'), fc.string({ maxLength: 6 }).map((k) => JSON.stringify(k).slice(1, -1)));
const leaf = fc.oneof(numberText, fc.constantFrom('true', 'false', 'null', '"\\ud83d\\ude00"', '"\\ud83d"', '"\\u0000"'), fc.string({ maxLength: 8, unit: 'binary' }).map((s) => JSON.stringify(s)));
// JSON text built from pieces, so that keys repeat and numbers keep the exact text they are written with.
const { value: jsonText } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `"${k}":${v}`).join(', ')}}`),
  ),
}));

describe('reading a JSON body: JSON.parse when plain, the lossless reader otherwise', () => {
  it('reads every generated text as the lossless reader does', () => {
    fc.assert(fc.property(jsonText, (text) => same(text)), { numRuns: 3000 });
  });

  it('reads JSON made by JSON.stringify of any value, and broken texts, as the lossless reader does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (v, cut) => {
        const text = JSON.stringify(v);
        same(text);
        same(text.slice(0, cut % (text.length + 1)));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what the rules refuse, in the words of the lossless reader', () => {
    for (const text of ['{"a":1,"a":2}', '{"__proto__":{}}', '{"a":"\\ud800"}', '{"\\udc00":1}', '{"a":1e400}', '{"a":1,}', '[1 2]', '{"a":"x\u0001"}']) {
      const got = outcome((t) => readJsonBody(t), text);
      expect({ text, refused: 'error' in got }).toEqual({ text, refused: true });
      same(text);
    }
  });

  it('keeps integers a double cannot hold, and identifiers as written', () => {
    expect(readJsonBody('{"n":9007199254740993,"order_id":1.0,"userId":42,"p":1.5}')).toEqual({ n: '9007199254740993', order_id: '1.0', userId: 42, p: 1.5 });
    expect(Object.is(readJsonBody('-0'), -0)).toBe(true);
  });
});
