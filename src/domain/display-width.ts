/**
 * How many terminal columns a text takes, so tables line up with any script: a character of the East
 * Asian Wide or Fullwidth classes (CJK, Hangul, kana, fullwidth forms; Unicode UAX #11) or an emoji shown
 * as a picture (Emoji_Presentation, or any pictograph followed by U+FE0F; UTS #51) takes two columns; a
 * combining mark, a zero-width joiner or another format character takes none (it joins the character
 * before it); everything else one. Counted per grapheme cluster (Intl.Segmenter), so "é" written e +
 * U+0301 is one column and 👩‍💻 is two. Terminals differ on a few rare characters; this follows what
 * xterm, GNOME Terminal and iTerm2 do for the common ones.
 */
export function displayWidth(text: string): number {
  // Plain ASCII, the common case, is one column a character.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of GRAPHEMES.segment(text)) width += clusterWidth(segment);
  return width;
}

/** `text` padded with spaces after it to `width` columns (displayWidth), as padEnd does for code units. */
export function padEndDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** `text` padded with spaces before it to `width` columns (displayWidth), as padStart does for code units. */
export function padStartDisplay(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

/**
 * `text` in exactly `width` columns (displayWidth): padded after it when it is narrower; when wider, its
 * beginning and its end joined by "…" (names that differ only at the end, "… (North)" and "… (South)",
 * stay apart), cut between grapheme clusters, never inside a surrogate pair, an emoji sequence or before
 * a combining mark. width ≥ 1.
 */
export function fitDisplay(text: string, width: number): string {
  if (displayWidth(text) <= width) return padEndDisplay(text, width);
  const clusters = [...GRAPHEMES.segment(text)].map(({ segment }) => ({ segment, w: clusterWidth(segment) }));
  let tail = '';
  let tailWidth = 0;
  for (let k = clusters.length - 1; k >= 0 && tailWidth + clusters[k]!.w <= Math.floor((width - 1) / 2); k--) {
    tail = clusters[k]!.segment + tail;
    tailWidth += clusters[k]!.w;
  }
  let head = '';
  let headWidth = 0;
  for (const c of clusters) {
    if (headWidth + c.w > width - 1 - tailWidth) break;
    head += c.segment;
    headWidth += c.w;
  }
  return padEndDisplay(`${head}…${tail}`, width);
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]+$/u;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;

function clusterWidth(cluster: string): number {
  if (ZERO_WIDTH.test(cluster)) return 0;
  if (EMOJI.test(cluster)) return 2;
  return isWide(cluster.codePointAt(0)!) ? 2 : 1;
}

/** East Asian Wide (W) and Fullwidth (F) code points (UAX #11), the ranges terminals draw two columns wide. */
function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) || // Hangul Jamo leading consonants
    c === 0x2329 ||
    c === 0x232a ||
    (c >= 0x2e80 && c <= 0x303e) || // CJK radicals, Kangxi, ideographic description, CJK symbols
    (c >= 0x3041 && c <= 0x33ff) || // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compatibility
    (c >= 0x3400 && c <= 0x4dbf) || // CJK Extension A
    (c >= 0x4e00 && c <= 0x9fff) || // CJK Unified Ideographs
    (c >= 0xa000 && c <= 0xa4cf) || // Yi
    (c >= 0xa960 && c <= 0xa97f) || // Hangul Jamo Extended-A
    (c >= 0xac00 && c <= 0xd7a3) || // Hangul syllables
    (c >= 0xf900 && c <= 0xfaff) || // CJK compatibility ideographs
    (c >= 0xfe10 && c <= 0xfe19) || // vertical forms
    (c >= 0xfe30 && c <= 0xfe6f) || // CJK compatibility forms, small form variants
    (c >= 0xff00 && c <= 0xff60) || // fullwidth forms
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1b000 && c <= 0x1b2ff) || // kana supplement and extensions
    (c >= 0x1f200 && c <= 0x1f2ff) || // enclosed ideographic supplement
    (c >= 0x20000 && c <= 0x3fffd) // CJK Extensions B and beyond
  );
}
