import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { rangeWords } from '../../src/domain/whole-number.js';
import { figure, grouped } from '../../src/domain/words.js';

describe('bounds in messages are written as every report writes numbers, whatever the locale', () => {
  it('groups thousands and keeps every decimal of a fraction', () => {
    expect([1000, 100_000, 2_147_483_648, -5000, 0, 999].map(figure)).toEqual(['1,000', '100,000', '2,147,483,648', '-5,000', '0', '999']);
    // A fraction keeps what grouped (three decimals) would round away.
    expect([0.05, 0.0001, 1234.5678, 0.1 + 0.2].map(figure)).toEqual(['0.05', '0.0001', '1,234.5678', '0.30000000000000004']);
    expect(grouped(0.0001)).toBe('0');
    expect(figure(2n ** 63n)).toBe('9,223,372,036,854,775,808');
    expect([rangeWords(1, 1000), rangeWords(0, 65_535), rangeWords(1, Number.POSITIVE_INFINITY)]).toEqual(['from 1 to 1,000', 'from 0 to 65,535', '≥ 1']);
  });

  it('reads the same in a process whose locale groups otherwise (de-DE: 1.000, fr-FR: 1 000)', () => {
    const code =
      "const { figure } = await import('./src/domain/words.ts'); const { rangeWords } = await import('./src/domain/whole-number.ts');" +
      'console.log(JSON.stringify([(1000).toLocaleString(), figure(1000), figure(1234.5), rangeWords(1, 100000)]));';
    for (const [locale, own] of [['de_DE.UTF-8', '1.000'], ['fr_FR.UTF-8', '1\u202f000']] as const) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, LC_ALL: locale, LANG: locale }, encoding: 'utf8' });
      // The first figure proves the child's locale is in effect; the others must not follow it.
      expect(JSON.parse(out)).toEqual([own, '1,000', '1,234.5', 'from 1 to 100,000']);
    }
  });
});
