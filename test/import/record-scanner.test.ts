import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_LIMITS } from '../../src/ingest/csv/limits.js';
import { RecordScanner, type RecordShape } from '../../src/ingest/csv/records.js';

/**
 * RecordScanner takes plain records whole (plainRecord) and the others byte by byte: the two ways must
 * see every file alike (records, lines, and the first problem with its line), however it is cut into
 * chunks. Compared here against the scanner that follows every byte (plainRecords = false).
 */
function run(shape: RecordShape, chunks: readonly Uint8Array[], plain: boolean): unknown {
  const s = new RecordScanner(shape, plain);
  for (const c of chunks) {
    const problem = s.feed(c);
    if (problem) return { problem, records: s.records, line: s.line };
  }
  return { end: s.end() ?? null, records: s.records, line: s.line };
}

/** The bytes cut at the given offsets. */
function cut(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const points = [...new Set(at.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return out;
}

const SHAPES: RecordShape[] = [
  { kind: 'delimited', delimiter: ',', columns: 3 },
  { kind: 'delimited', delimiter: ';', columns: 2 },
  { kind: 'lines', tokens: 2 },
];
const pieces = fc.constantFrom('a', 'bc', ' ', '\t', ',', ';', '"', '""', '\n', '\r\n', '\r', 'é', '12.5');
const text = fc.array(pieces, { maxLength: 200 }).map((p) => p.join(''));

describe('RecordScanner: plain records taken whole', () => {
  it('sees every file as the byte-by-byte scan does, however it is cut', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(...SHAPES), (t, at, shape) => {
        const chunks = cut(Buffer.from(t, 'utf8'), at);
        expect(run(shape, chunks, true)).toEqual(run(shape, chunks, false));
      }),
      { numRuns: 3000 },
    );
  });

  it('reports a record past the limits on the same line (too many fields, too many bytes)', () => {
    const shape: RecordShape = { kind: 'delimited', delimiter: ',', columns: 2 };
    const wide = Buffer.from(`a,b\nc,d\n${','.repeat(CSV_LIMITS.fieldsPerLine)}\n`);
    // one byte over the limit, line end included
    const long = Buffer.from(`a,b\n${'x'.repeat(CSV_LIMITS.lineBytes - 2)},y\n`);
    // exactly at both limits
    const fits = Buffer.from(`a,b\n${','.repeat(CSV_LIMITS.fieldsPerLine - 1)}\n${'x'.repeat(CSV_LIMITS.lineBytes - 3)},y\n`);
    for (const bytes of [wide, long, fits]) {
      for (const chunks of [[bytes], cut(bytes, [5, 1000, 70_000])]) {
        const fast = run(shape, chunks, true);
        expect(fast).toEqual(run(shape, chunks, false));
        if (bytes !== fits) expect(fast).toMatchObject({ problem: { line: 3 - (bytes === long ? 1 : 0) } });
        else expect(fast).toMatchObject({ end: null, records: 3 });
      }
    }
  });
});
