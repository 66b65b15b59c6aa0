import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSegment, parseSegment, segmentAstSchema, unparse } from '../../../src/segments/index.js';
import { definitionArb } from '../property/arbitraries.js';
import { wildDefinition } from './wild.js';

describe('text round trip', () => {
  it('parse(unparse(ast)) is ast, for wild definitions (names, strings, numbers, every node and unit)', () => {
    fc.assert(
      fc.property(wildDefinition, (ast) => {
        expect(segmentAstSchema.safeParse(ast).success).toBe(true);
        expect(checkSegment(ast)).toEqual([]);
        const text = unparse(ast);
        const back = parseSegment(text);
        expect(back.diagnostics, text).toEqual([]);
        expect(back.ast).toEqual(ast);
        // and the canonical text is a fixed point
        expect(unparse(back.ast!)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('parse(unparse(ast)) is ast, for the definitions of the SQL/memory property', () => {
    fc.assert(
      fc.property(definitionArb, (ast) => {
        expect(parseSegment(unparse(ast)).ast).toEqual(ast);
      }),
      { numRuns: 300 },
    );
  });

  it('unparse(parse(s)) is a canonical form that parses to the same AST', () => {
    const cases: [string, string][] = [
      ['TOTAL_SPENT > 5', 'traits.TOTAL_SPENT > 5'],
      ['total_spent>100 AND country="DE"', 'total_spent > 100 and traits.country = "DE"'],
      ["plan in ('pro','team')", 'traits.plan in ("pro", "team")'],
      ['not(last_order_at < -90d)', 'not (last_order_at < -90d)'],
      ['a = 1 or (b = 2 and c = 3)', 'traits.a = 1 or traits.b = 2 and traits.c = 3'],
      ['(a = 1 or b = 2) and c = 3', '(traits.a = 1 or traits.b = 2) and traits.c = 3'],
      ['(a = 1 and b = 2) and c = 3', '(traits.a = 1 and traits.b = 2) and traits.c = 3'],
      ['performed "X" within 7d at least 3 times', 'performed "X" at least 3 times within 7d'],
      ['performed "X" exactly 1 times', 'performed "X" exactly 1 time'],
      ['signup < 2024-01-01T00:00:00Z', 'traits.signup < 2024-01-01'],
      ['signup < 2024-01-01T10:30', 'traits.signup < 2024-01-01T10:30:00.000Z'],
      ['x is not missing # a comment\n', 'traits.x exists'],
      ['consent "email" = "granted"', 'consent email = granted'],
      ['count of "Order Completed" >= 2.50', 'count of "Order Completed" >= 2.5'],
      ['traits.`first name` starts_with "A"', 'traits.`first name` starts_with "A"'],
    ];
    for (const [input, canonical] of cases) {
      const first = parseSegment(input);
      expect(first.diagnostics, input).toEqual([]);
      expect(unparse(first.ast!), input).toBe(canonical);
      expect(parseSegment(canonical).ast, input).toEqual(first.ast);
    }
  });

  it('precedence is not > and > or', () => {
    const ast = parseSegment('not a = 1 and b = 2 or c = 3').ast!;
    expect(ast.kind).toBe('or');
    if (ast.kind !== 'or') return;
    expect(ast.conditions[0]!.kind).toBe('and');
    const and = ast.conditions[0]!;
    if (and.kind !== 'and') return;
    expect(and.conditions[0]!.kind).toBe('not');
  });
});
