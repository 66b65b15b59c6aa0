import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../../src/webhooks/url.js';

/**
 * Every IPv6 spelling that carries an IPv4 address (trial 7, D6) is judged as that IPv4 address: refused
 * when it is link-local (169.254.0.0/16), accepted otherwise. The spellings are written here from the
 * RFCs' layouts as text, independently of the parser in src/webhooks/url.ts.
 */
const hex = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
const pad = (s: string): string => s.padStart(4, '0');

/** name → the IPv6 text standing for a.b.c.d */
const SPELLINGS: Record<string, (a: number, b: number, c: number, d: number) => string> = {
  'IPv4-compatible, dotted (RFC 4291)': (a, b, c, d) => `::${a}.${b}.${c}.${d}`,
  'IPv4-compatible, hex': (a, b, c, d) => `::${hex(a, b)}:${hex(c, d)}`,
  'IPv4-compatible, written out': (a, b, c, d) => `0000:0000:0000:0000:0000:0000:${pad(hex(a, b))}:${pad(hex(c, d))}`,
  'IPv4-mapped, dotted': (a, b, c, d) => `::ffff:${a}.${b}.${c}.${d}`,
  'IPv4-mapped, hex, upper case': (a, b, c, d) => `::FFFF:${hex(a, b).toUpperCase()}:${hex(c, d).toUpperCase()}`,
  'IPv4-mapped, written out': (a, b, c, d) => `0:0:0:0:0:ffff:${hex(a, b)}:${hex(c, d)}`,
  'IPv4-translated (RFC 2765)': (a, b, c, d) => `::ffff:0:${a}.${b}.${c}.${d}`,
  'NAT64 well-known, dotted (RFC 6052)': (a, b, c, d) => `64:ff9b::${a}.${b}.${c}.${d}`,
  'NAT64 well-known, hex': (a, b, c, d) => `64:ff9b::${hex(a, b)}:${hex(c, d)}`,
  'NAT64 well-known, written out': (a, b, c, d) => `0064:ff9b:0000:0000:0000:0000:${pad(hex(a, b))}:${pad(hex(c, d))}`,
  'NAT64 local-use /96 (RFC 8215)': (a, b, c, d) => `64:ff9b:1::${a}.${b}.${c}.${d}`,
  'NAT64 local-use /48': (a, b, c, d) => `64:ff9b:1:${hex(a, b)}:${hex(0, c)}:${hex(d, 0)}::`,
  'NAT64 local-use /56': (a, b, c, d) => `64:ff9b:1:${hex(0, a)}:${hex(0, b)}:${hex(c, d)}::`,
  'NAT64 local-use /64': (a, b, c, d) => `64:ff9b:1:0:${hex(0, a)}:${hex(b, c)}:${hex(d, 0)}:0`,
  '6to4 (RFC 3056)': (a, b, c, d) => `2002:${hex(a, b)}:${hex(c, d)}::1`,
  'Teredo client, inverted (RFC 4380)': (a, b, c, d) => `2001:0:4136:e378:8000:63bf:${hex(a ^ 0xff, b ^ 0xff)}:${hex(c ^ 0xff, d ^ 0xff)}`,
};

const byte = fc.integer({ min: 0, max: 255 });
const linkLocal = fc.tuple(fc.constant(169), fc.constant(254), byte, byte);
// Not link-local and not 0.0.0.x/0.0.x.x patterns that the IPv4-compatible range shares with ::1.
const ordinary = fc.tuple(byte, byte, byte, byte).filter(([a, b]) => !(a === 169 && b === 254) && a !== 0 && a !== 0xfe);

describe('webhook URLs: IPv4 inside IPv6', () => {
  for (const [name, spell] of Object.entries(SPELLINGS)) {
    it(`${name}: refused exactly when the IPv4 address inside is link-local`, () => {
      fc.assert(
        fc.property(linkLocal, ([a, b, c, d]) => {
          expect(webhookUrlProblem(`http://[${spell(a, b, c, d)}]/hook`)).toMatch(/link-local/);
        }),
      );
      fc.assert(
        fc.property(ordinary, ([a, b, c, d]) => {
          expect(webhookUrlProblem(`http://[${spell(a, b, c, d)}]/hook`)).toBeUndefined();
        }),
      );
    });
  }

  it('leaves ordinary IPv6 receivers alone, and still refuses fe80::/10', () => {
    for (const ok of ['http://[::1]:3971/h', 'http://[2001:db8::a9fe:a9fe]/h', 'https://[2606:4700::6810:84e5]/h', 'http://[fd00::169:254]/h']) {
      expect(webhookUrlProblem(ok), ok).toBeUndefined();
    }
    for (const bad of ['http://[fe80::1]/h', 'http://[FEBF::1]/h', 'http://[fe80::a9fe:a9fe%25eth0]/h']) {
      expect(webhookUrlProblem(bad) ?? '', bad).toMatch(/link-local|not a URL/);
    }
  });
});
