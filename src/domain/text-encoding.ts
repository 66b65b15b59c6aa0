/**
 * Recognises text that is not UTF-8 by its byte-order mark, so every reader of outside text (the CSV
 * importer, HTTP bodies) names the encoding it found the same way rather than calling it broken UTF-8.
 */

/** A UTF-16 byte-order mark's byte order, as people name the encoding. */
export type Utf16Order = 'UTF-16LE' | 'UTF-16BE';

/**
 * The UTF-16 encoding `bytes` start with the byte-order mark of: FF FE is UTF-16LE (what Windows
 * programs, Excel's "Unicode text" and PowerShell write), FE FF UTF-16BE. Undefined otherwise (a UTF-8
 * byte-order mark EF BB BF is UTF-8). Reads only the first two bytes.
 */
export function utf16Mark(bytes: Uint8Array): Utf16Order | undefined {
  if (bytes.length < 2) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  return undefined;
}
