import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../src/server/body/json.js';

/**
 * The scan before parsing (src/server/body/json.ts, checkDepth) skips strings: to their closing quote at
 * once when no backslash comes first, character by character otherwise. Brackets, colons and \uD… escapes
 * inside strings must be seen or not exactly as a character-by-character reading would: a string ended too
 * early counts its brackets as nesting (a body refused as too deep), and a \uD… escape missed lets a lone
 * surrogate through JSON.parse.
 */
function refusal(text: string, depth: number): string | undefined {
  try {
    readJsonBody(text, depth);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe('the scan before parsing a body', () => {
  it('counts no bracket inside a string, with escaped quotes and backslashes before and after', () => {
    const texts = [
      '{"s":"x\\"[[[[","t":"[[[["}',
      '{"s":"x\\\\","t":"[[[[","u":"\\"]]]]{{{{"}',
      '["[[[[", "a\\\\\\"[[[[", "[[[["]',
      '{"k\\"[[[":"v","w":"]]]"}',
    ];
    for (const text of texts) {
      expect({ text, refused: refusal(text, 2) }).toEqual({ text, refused: undefined });
      expect(readJsonBody(text, 2)).toEqual(JSON.parse(text));
    }
  });

  it('still refuses a body nested too deep, after strings with and without escapes', () => {
    expect(refusal('{"s":"x\\"","t":"y","a":[[1]]}', 2)).toBe('json_too_deep');
    expect(() => readJsonBody('{"s":"\\\\","a":[[1]]}', 2)).toThrow('The JSON body nests deeper than 2 levels of arrays and objects (line 1, column 16); at most 2 are accepted.');
  });

  it('sees a lone surrogate, escaped or written, in any string after others', () => {
    for (const text of ['{"a":"x\\"y","b":"plain","c":"\\ud800"}', '{"a":"plain","b":"\\uD800x"}', '{"a":"x","b":"\uD800"}', '{"a":"\\\\","\\udc00":1}']) {
      expect({ text, refused: refusal(text, 64) }).toEqual({ text, refused: 'invalid_body' });
    }
    expect(readJsonBody('{"a":"x\\"y","b":"\\ud83d\\ude00"}', 64)).toEqual({ a: 'x"y', b: '\u{1F600}' });
  });

  it('counts keys only outside strings: a repeated key is refused (by the lossless reader) whatever the strings before it hold', () => {
    for (const text of ['{"s":"a:b\\"c:","a":1,"a":2}', '{"s":"a:b","a":1,"a":2}', '{"s":"\\\\:","a":1,"a":2}']) {
      expect({ text, refused: refusal(text, 64) }).toEqual({ text, refused: 'invalid_json' });
    }
  });
});
