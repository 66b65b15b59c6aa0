/**
 * A set of strings that answers "certainly never added" or "possibly added": a Bloom filter (B. H. Bloom,
 * "Space/time trade-offs in hash coding with allowable errors", CACM 13(7), 1970). A string added always
 * answers "possibly"; one never added answers "possibly" with a small probability (a false positive),
 * never the other way round. So it can prove that a string is new, and only the few "possibly" answers
 * need the exact (slower) check.
 *
 * Each table has m = 2^b ≥ 16 bits per string it is sized for and sets k = 8 bits per string, which
 * gives a false-positive rate of (1 − e^(−k·n/m))^k: at most 0.057 % while it holds at most its capacity
 * n, 0.0006 % at half of it (a commit of 10,000 new ids then sends none to the exact check). When
 * a table reaches its capacity, the strings that follow go into a new table twice as large, and a lookup
 * asks every table (a scalable Bloom filter: P. S. Almeida et al., "Scalable Bloom Filters", IPL 101(6),
 * 2007), so the filter never needs the strings again to grow. Memory: 2 to 4 bytes per string a table is
 * sized for (m is rounded up to a power of two).
 *
 * The bit positions come from two 32-bit hashes of the string's UTF-16 code units (FNV-1a and a
 * multiply-xorshift, each finished by MurmurHash3's fmix32), combined as h1 + i·h2 (Kirsch and
 * Mitzenmacher, "Less hashing, same performance", 2006). Deterministic: no seed, no time.
 */
export class BloomFilter {
  private readonly tables: Table[] = [];

  /** `capacity`: how many strings the first table is sized for (at least 1,024). */
  constructor(capacity: number) {
    this.tables.push(table(Math.max(1024, Math.ceil(capacity))));
  }

  /** Number of strings added (each add counts, a repeat included). */
  get size(): number {
    let n = 0;
    for (const t of this.tables) n += t.count;
    return n;
  }

  /** Bytes held by the bit tables. */
  get bytes(): number {
    let n = 0;
    for (const t of this.tables) n += t.bits.byteLength;
    return n;
  }

  /** Adds s: from now on mayHold(s) is true. */
  add(s: string): void {
    let t = this.tables[this.tables.length - 1]!;
    if (t.count >= t.capacity) this.tables.push((t = table(t.capacity * 2)));
    hashInto(s);
    const mask = t.mask;
    for (let i = 0; i < K; i++) {
      const p = (h1 + Math.imul(i, h2)) & mask;
      t.bits[p >>> 5]! |= 1 << (p & 31);
    }
    t.count++;
  }

  /** False when s was certainly never added; true when it may have been. */
  mayHold(s: string): boolean {
    hashInto(s);
    for (const t of this.tables) {
      const mask = t.mask;
      let all = true;
      for (let i = 0; i < K; i++) {
        const p = (h1 + Math.imul(i, h2)) & mask;
        if ((t.bits[p >>> 5]! & (1 << (p & 31))) === 0) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }
}

/** Bits set per string. */
const K = 8;
/** Bits per string of a table's capacity, at least (rounded up to a power of two). */
const BITS_PER_STRING = 16;

interface Table {
  readonly bits: Uint32Array;
  /** number of bits − 1 (a power of two − 1) */
  readonly mask: number;
  readonly capacity: number;
  count: number;
}

function table(capacity: number): Table {
  // 2^31 bits at most, so positions stay within a signed 32-bit mask.
  const b = Math.min(31, Math.max(10, Math.ceil(Math.log2(capacity * BITS_PER_STRING))));
  return { bits: new Uint32Array(2 ** (b - 5)), mask: 2 ** b - 1, capacity, count: 0 };
}

// The two hashes of the last string hashed: module variables rather than a pair object per call (this
// runs for every message id of every commit).
let h1 = 0;
let h2 = 0;

function hashInto(s: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  h1 = fmix32(a ^ s.length);
  // Odd, so that the k positions h1 + i·h2 are distinct in a table of 2^b bits.
  h2 = fmix32(b) | 1;
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
