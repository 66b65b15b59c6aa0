import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/report-error.js';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';

/**
 * Trial 8, D1: stored values (here traits sent as a browser key would send them) reach the operator's
 * terminal only as visible escapes. The characters are listed here from the standards, not from the
 * code under test: C0 (but newline and tab), DEL, C1 (ECMA-48), the bidi controls of Unicode's UAX #9
 * and the invisible format/separator characters; each goes through several commands' text output,
 * their --json output and an error message that quotes a value.
 */
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const HIDDEN: readonly number[] = [
  ...range(0x00, 0x1f).filter((c) => c !== 0x09 && c !== 0x0a),
  0x7f,
  ...range(0x80, 0x9f),
  0x061c, 0x200e, 0x200f, ...range(0x202a, 0x202e), ...range(0x2066, 0x2069), // bidi (UAX #9)
  0x00ad, 0x200b, 0x2060, 0xfeff, 0x2028, 0x2029, // invisible: soft hyphen, zero-width space, word joiner, BOM, separators
];
const hex4 = (c: number): string => c.toString(16).padStart(4, '0');
const nasty = (c: number): string => `A${String.fromCharCode(c)}]0;pwned\u0007Z`;

/** The first forbidden character in printed text, or undefined. */
function forbiddenIn(text: string): string | undefined {
  for (const ch of text) {
    if (HIDDEN.includes(ch.codePointAt(0)!)) return `U+${hex4(ch.codePointAt(0)!)}`;
  }
  return undefined;
}

let t: Awaited<ReturnType<typeof tempStore>>;
beforeAll(async () => {
  t = await tempStore();
  const at = new Date('2024-06-01T00:00:00Z');
  await t.store.transaction((tx) =>
    ingestEvents(tx, [
      ...HIDDEN.map((c) => ({ messageId: `m${c}`, type: 'identify' as const, userId: `esc${hex4(c)}`, timestamp: at, receivedAt: at, traits: { country: nasty(c) } })),
      {
        messageId: 'all',
        type: 'identify' as const,
        userId: 'everything',
        timestamp: at,
        receivedAt: at,
        traits: { name: `Eve${HIDDEN.map((c) => String.fromCharCode(c)).join('')}`, ...Object.fromEntries(HIDDEN.map((c) => [`t${hex4(c)}`, nasty(c)])) },
      },
    ]),
  );
  t.store.close();
}, 60_000);
afterAll(() => t.cleanup());

describe('no stored character can drive the terminal', () => {
  it('segments preview shows every customer\'s trait with its characters escaped', async () => {
    const out = await runCli(t.path, 'segments', 'preview', '--query', 'traits.country exists', '--sample', '100');
    expect(forbiddenIn(out)).toBeUndefined();
    for (const c of HIDDEN) expect(out).toContain(`A\\u${hex4(c)}]0;pwned\\u0007Z`);
  });

  it('customers show, in text, escapes every trait and the name; in JSON the values read back unchanged', async () => {
    const text = await runCli(t.path, 'customers', 'show', 'everything');
    expect(forbiddenIn(text)).toBeUndefined();
    for (const c of HIDDEN) expect(text).toContain(`\\u${hex4(c)}`);
    const json = await runCli(t.path, 'customers', 'show', 'everything', '--json');
    expect(forbiddenIn(json)).toBeUndefined();
    const parsed = JSON.parse(json) as { traits: Record<string, string> };
    for (const c of HIDDEN) expect(parsed.traits[`t${hex4(c)}`]).toBe(nasty(c));
  });

  it('customers search and an error message quoting the value are escaped too', async () => {
    const found = await runCli(t.path, 'customers', 'search', 'Eve');
    expect(found).toContain('Eve\\u0000\\u0001');
    expect(forbiddenIn(found)).toBeUndefined();
    // one identifier holding every character: the message quotes it whole
    const id = `nobody${HIDDEN.map((c) => String.fromCharCode(c)).join('')}[2J`;
    const e = await runCli(t.path, 'customers', 'show', id).catch((x: unknown) => x);
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    try {
      expect(reportError(e, ['node', 'segmint'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(err).toContain(`nobody${HIDDEN.map((c) => `\\u${hex4(c)}`).join('')}[2J`);
    expect(forbiddenIn(err)).toBeUndefined();
  });

  it('keeps newlines, tabs and the characters text needs: accents, other scripts, emoji with joiners and flag tags', async () => {
    const { terminalSafe } = await import('../../src/cli/terminal-text.js');
    const fine = 'Zoë\tשלום\n👩‍💻 🏴󠁧󠁢󠁳󠁣󠁴󠁿 کتاب‌ها';
    expect(terminalSafe(fine)).toBe(fine);
    expect(terminalSafe('a\u{1D173}b')).toBe('a\\ud834\\udd73b');
  });
});
