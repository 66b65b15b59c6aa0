import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSegment, segmentAstSchema, unparse } from '../../../src/segments/index.js';

const doc = readFileSync(new URL('../../../docs/segment-language.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```segment\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
const json = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/segment-language.md', () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(30);
  });

  for (const text of examples) {
    it(`parses: ${text}`, () => {
      const r = parseSegment(text);
      expect(r.diagnostics).toEqual([]);
      expect(parseSegment(unparse(r.ast!)).ast).toEqual(r.ast);
    });
  }

  it('the JSON example is the text next to it', () => {
    const ast = segmentAstSchema.parse(JSON.parse(json[0]!));
    expect(unparse(ast)).toBe('total_spent > 500 and performed "Product Viewed" where category = "Dresses" at least 3 times within 7d');
  });

  it('the documented precedence example groups as documented', () => {
    const a = parseSegment('not country = "DE" and orders_count > 0 or in segment "vip"').ast;
    const b = parseSegment('((not country = "DE") and orders_count > 0) or in segment "vip"').ast;
    expect(a).toEqual(b);
  });
});
