import { describe, expect, it } from 'vitest';
import { excerpt, excerptSql, quotedExcerpt } from '../../src/domain/excerpt.js';
import { withScratchDatabase } from '../../src/store/db.js';

/** Trial 10, L6: the one rule for quoting a received value into a message, in TypeScript and in SQL. */
describe('excerpt', () => {
  it('keeps a short text, cuts a long one to 100 characters with its length grouped', () => {
    expect(excerpt('abc')).toBe('abc');
    expect(excerpt('x'.repeat(100))).toBe('x'.repeat(100));
    expect(excerpt('x'.repeat(101))).toBe(`${'x'.repeat(100)}… (101 characters)`);
    expect(excerpt('Z'.repeat(200_000))).toBe(`${'Z'.repeat(100)}… (200,000 characters)`);
    expect(quotedExcerpt('Z'.repeat(200_000))).toBe(`"${'Z'.repeat(100)}…" (200,000 characters)`);
    expect(quotedExcerpt('a"b')).toBe('"a\\"b"');
    expect(quotedExcerpt(42)).toBe('42');
  });

  it('counts characters, not UTF-16 units, and never cuts one in half', () => {
    const emoji = '😀'.repeat(150); // 300 code units
    expect(excerpt('😀'.repeat(100))).toBe('😀'.repeat(100));
    expect(excerpt(emoji)).toBe(`${'😀'.repeat(100)}… (150 characters)`);
    expect(excerpt(`${'a'.repeat(99)}😀😀`)).toBe(`${'a'.repeat(99)}😀… (101 characters)`);
  });

  it('says the same in SQL as in TypeScript', async () => {
    const texts = ['', 'abc', 'x'.repeat(100), 'x'.repeat(101), 'Z'.repeat(200_000), '😀'.repeat(150), `${'a'.repeat(99)}😀😀`, 'é'.repeat(1234)];
    const inSql = await withScratchDatabase(async (db) => {
      const out: string[] = [];
      for (const t of texts) out.push((await db.one<{ e: string }>(`SELECT ${excerptSql('$1::VARCHAR')} AS e`, [t]))!.e);
      return out;
    });
    expect(inSql).toEqual(texts.map((t) => excerpt(t)));
  });
});
