import { describe, expect, it } from 'vitest';
import { nameCharacterProblem } from '../../src/domain/names.js';
import { checkSegmentName } from '../../src/segments/manage/names.js';
import { createApiKey } from '../../src/server/keys.js';
import { tempStore } from '../helpers/store.js';

/**
 * Trial 8, D11: a name holding a bidi override (`a‮b` shows as "ab" reversed) posed as another. The
 * characters are listed from Unicode (UAX #9's explicit formatting characters, and the zero-width and
 * invisible ones of category Cf), not from the code under test.
 */
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const REFUSED: readonly number[] = [
  ...range(0x00, 0x1f),
  0x7f,
  ...range(0x80, 0x9f),
  0x061c, 0x200e, 0x200f, ...range(0x202a, 0x202e), ...range(0x2066, 0x2069),
  0x00ad, 0x180e, 0x200b, ...range(0x2060, 0x2064), 0xfeff, 0x2028, 0x2029, 0xfff9, 0x1d173, 0xe0001,
  // tag characters outside a flag's tag sequence are invisible (recheck 8, N2: "a" U+E0041 "b" showed as "ab")
  0xe0020, 0xe0041, 0xe007f,
];
const hex = (c: number): string => c.toString(16).toUpperCase().padStart(4, '0');

describe('the name rule', () => {
  it('refuses every control and display-changing character, naming it and where it is', () => {
    for (const c of REFUSED) {
      const name = `vip${String.fromCodePoint(c)}x`;
      expect(nameCharacterProblem(name), hex(c)).toMatch(new RegExp(`U\\+${hex(c)} at character 4`));
      expect(() => checkSegmentName(name), hex(c)).toThrow(new RegExp(`name: the name holds .*U\\+${hex(c)}`));
    }
    expect(nameCharacterProblem('a\ud800b')).toMatch(/unpaired surrogate U\+D800 at character 2/);
  });

  it('accepts printable text of every kind: accents, quotes, other scripts, emoji joined by U+200D, flags of tag characters, ZWNJ', () => {
    for (const name of ['Zoë "VIP" 2024', 'لقاء', 'שלום', 'کتاب‌ها', '👩‍💻 devs', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 fans', '客户']) {
      expect(nameCharacterProblem(name), name).toBeUndefined();
      expect(checkSegmentName(name)).toBe(name);
    }
  });

  it('holds for API key names too, and an empty key name is refused', async () => {
    const t = await tempStore();
    try {
      await expect(createApiKey(t.store, ['read'], 'ops\u202Etxt.exe')).rejects.toMatchObject({ code: 'key_name_invalid', message: expect.stringMatching(/U\+202E at character 4/) });
      await expect(createApiKey(t.store, ['read'], ' ')).rejects.toMatchObject({ code: 'key_name_invalid' });
      expect((await createApiKey(t.store, ['read'], 'Zoë’s laptop')).name).toBe('Zoë’s laptop');
    } finally {
      t.cleanup();
    }
  });
});
