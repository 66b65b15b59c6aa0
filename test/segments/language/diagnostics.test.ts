import { describe, expect, it } from 'vitest';
import { defaultCatalog, parseSegment, segmentAstSchema, checkSegment, type Catalog } from '../../../src/segments/index.js';

/** The first diagnostic of a text that must not parse. */
function problem(text: string, catalog?: Catalog) {
  const r = parseSegment(text, catalog ? { catalog } : {});
  expect(r.ast, text).toBeUndefined();
  return r.diagnostics[0]!;
}

describe('diagnostics carry line, column and a hint', () => {
  it('a misspelt field suggests the catalog name', () => {
    const d = problem('orders_count > 1 and\n  toal_spent > 100');
    expect(d).toMatchObject({ severity: 'error', message: 'unknown field `toal_spent`, did you mean `total_spent`?', line: 2, column: 3, endLine: 2, endColumn: 13 });
    expect(d.hint).toContain('traits.toal_spent');
  });

  it('trial 13, L7: an identifier that is not a trait is refused with the way to find the customer', () => {
    for (const name of ['user_id', 'anonymous_id', 'userId', 'customer_id']) {
      const d = problem(`orders_count > 1 and ${name} = "1000019"`);
      expect(d).toMatchObject({ severity: 'error', line: 1, column: 22 });
      expect(d.message).toBe(`\`${name}\` is an identifier, not a trait or a field: no customer has a trait ${name}, so the condition would match nobody`);
      expect(d.hint).toContain('segmint customers show ID');
      expect(d.hint).toContain(`traits.${name}`);
      // written out, it is the trait, as for any name
      expect(parseSegment(`traits.${name} = "1000019"`).ast).toMatchObject({ kind: 'compare', target: { kind: 'trait', path: [name] } });
    }
    // the email is a trait as well as an identifier: it stays a trait condition
    expect(parseSegment('email = "ann@example.com"').ast).toMatchObject({ target: { kind: 'trait', path: ['email'] } });
  });

  it('suggests registered fields too, by their dotted name', () => {
    const catalog = defaultCatalog.with([{ name: 'rfm.group', type: 'string', description: 'RFM group', table: 'customer_rfm', column: 'rfm_group' }]);
    expect(problem('rfm.grop = "Champions"', catalog).message).toBe('unknown field `rfm.grop`, did you mean `rfm.group`?');
    expect(parseSegment('rfm.group = "Champions"', { catalog }).ast).toEqual({
      kind: 'compare',
      target: { kind: 'field', name: 'rfm.group' },
      op: '=',
      value: 'Champions',
    });
  });

  it('names far from any field are traits, explicitly or not', () => {
    expect(parseSegment('country = "DE"').ast).toMatchObject({ target: { kind: 'trait', path: ['country'] } });
    expect(parseSegment('traits.toal_spent = 1').ast).toMatchObject({ target: { kind: 'trait', path: ['toal_spent'] } });
  });

  it('a value of the wrong type for a field', () => {
    const d = problem('total_spent > "100"');
    expect(d).toMatchObject({ line: 1, column: 1, message: 'total_spent is a number, compared with the text "100"' });
    expect(d.hint).toBe('compare it with a number');
    expect(problem('last_order_at < 90').hint).toContain('-90d');
  });

  it('an unsigned duration where a date is expected', () => {
    const d = problem('last_order_at < 90d');
    expect(d).toMatchObject({ line: 1, column: 17, message: '90d is a length of time, not a date' });
    expect(d.hint).toContain('-90d');
  });

  it('unknown units, unterminated strings, stray characters', () => {
    expect(problem('performed "X" within 7days')).toMatchObject({ line: 1, column: 23, message: 'unknown time unit `days`' });
    expect(problem('country = "DE')).toMatchObject({ line: 1, column: 11, message: 'unterminated string' });
    expect(problem('country = ["DE"]')).toMatchObject({ line: 1, column: 11, hint: 'lists are written in parentheses: in ("a", "b")' });
    expect(problem('signup < 2024-02-30')).toMatchObject({ line: 1, column: 10, message: '2024-02-30 is not a valid date' });
  });

  it('a bare word where text is expected, and a missing operator', () => {
    expect(problem('country = DE')).toMatchObject({ line: 1, column: 11, hint: 'text values are quoted: "DE"' });
    expect(problem('performed Order')).toMatchObject({ line: 1, column: 11 });
    expect(problem('country "DE"').message).toContain('expected an operator');
    expect(problem('')).toMatchObject({ message: 'the definition is empty' });
  });

  it('where binds to one comparison; an and/or filter needs parentheses', () => {
    const ast = parseSegment('performed "X" where a = 1 and b = 2').ast!;
    expect(ast.kind).toBe('and');
    expect(parseSegment('performed "X" where (a = 1 and b = 2)').ast!.kind).toBe('performed');
    expect(problem('country = "DE" where a = 1')).toMatchObject({ column: 16, hint: expect.stringContaining('behaviour') });
  });

  it('the checker reports on JSON definitions without positions', () => {
    const ast = segmentAstSchema.parse({ kind: 'compare', target: { kind: 'field', name: 'nope' }, op: '=', value: 1 });
    expect(checkSegment(ast)[0]).toMatchObject({ severity: 'error', message: 'unknown field `nope`', line: 0, column: 0 });
    const seq = segmentAstSchema.parse({
      kind: 'sequence',
      first: { event: 'A' },
      then: { event: 'B' },
      negated: true,
      gap: { amount: 1, unit: 'm' },
    });
    expect(checkSegment(seq)[0]).toMatchObject({ message: expect.stringContaining('s, min, h, d or w'), hint: 'months have no fixed length' });
    const misplaced = segmentAstSchema.parse({ kind: 'compare', target: { kind: 'property', path: ['x'] }, op: '=', value: 1 });
    expect(checkSegment(misplaced)[0]!.message).toContain('outside a where clause');
  });

  it('the schema refuses malformed JSON', () => {
    expect(segmentAstSchema.safeParse({ kind: 'and', conditions: [] }).success).toBe(false);
    expect(segmentAstSchema.safeParse({ kind: 'compare', target: { kind: 'trait', path: ['a'] }, op: '~', value: 1 }).success).toBe(false);
    expect(segmentAstSchema.safeParse({ kind: 'compare', target: { kind: 'trait', path: ['a'] }, op: '=', value: { date: '2024-01-01' } }).success).toBe(false);
    expect(segmentAstSchema.safeParse({ kind: 'in_segment', segment: 'vip', extra: 1 }).success).toBe(false);
  });
});
