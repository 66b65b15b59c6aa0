import { isUtf8 } from 'node:buffer';
import { utf16Mark } from '../../domain/text-encoding.js';
import { getUnsafeNumberReason, isLosslessNumber, parse, type LosslessNumber } from 'lossless-json';
import { SegmintError } from '../../domain/errors.js';
import { HTTP_LIMITS } from '../limits.js';

/** A place in a JSON document: keys and array indexes from the root. */
export type JsonPath = readonly (string | number)[];

interface Problem {
  readonly path: JsonPath;
  readonly message: string;
}

interface Problems {
  readonly kept: Problem[];
  count: number;
}

/**
 * Reads a request body as JSON under the rules of docs/api.md ("What the server accepts"):
 *
 * - the bytes must be UTF-8 (bytes that are no character would otherwise all become U+FFFD, and two
 *   different inputs would be stored as one); a leading byte-order mark is skipped;
 * - arrays and objects may nest at most `maxDepth` levels, checked by a scan before anything is parsed
 *   (a parser would otherwise run out of stack);
 * - numbers are read from their text (lossless-json), so nothing is rounded: a number a double holds
 *   exactly is a number; an integer it cannot hold (157963456373623802) is kept as a string of exactly its
 *   digits; a fraction with more digits than a double keeps is the nearest double (as JSON.parse reads
 *   it); a number beyond ±1.8e308 is refused. Under an identifier key (`id`, `…Id`, `…_id`, `sku`) a
 *   number is kept as a number only when it prints back as written, else as its text: `1.0` stays "1.0";
 * - every string and key must be valid Unicode (no lone surrogate: it cannot be stored as UTF-8 and two
 *   different ones would collapse into one); a key named `__proto__` is refused; a repeated key is refused.
 *
 * Throws a SegmintError (400) naming each problem by its path, e.g. `batch[1].messageId`.
 */
export function readJsonBody(raw: Buffer | string, maxDepth = HTTP_LIMITS.jsonDepth): unknown {
  const text = typeof raw === 'string' ? raw : decodeUtf8(raw);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shape = checkDepth(body, maxDepth);
  if (shape.plainNumbers) {
    const plain = readPlainJson(body, shape.keys, shape.surrogates);
    if (plain.ok) return plain.value;
  }
  return readLosslessJson(body);
}

/**
 * The rules above, read by the lossless parser: every number from its text, every string and key checked.
 * Used for any body the plain reader does not take (readPlainJson), so every refusal comes from here.
 */
export function readLosslessJson(body: string): unknown {
  let parsed: unknown;
  try {
    parsed = parse(body);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    const where = at ? ` (${lineAndColumn(body, Number(at[1]))})` : '';
    throw new SegmintError('invalid_json', `The body is not valid JSON: ${message}${where}.`, { received: excerpt(body, at ? Number(at[1]) : 0) }, 400);
  }
  const problems: Problems = { kept: [], count: 0 };
  const value = materialise(parsed, [], problems);
  if (problems.count > 0) throw bodyProblems(problems);
  return value;
}

/** Whether text would be read as JSON (text/plain bodies that are not JSON stay text). */
export function looksLikeJson(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}

/**
 * UTF-8 text of the body bytes, refusing bytes that are not UTF-8 instead of replacing them; a body in
 * UTF-16 (recognised by its byte-order mark, as the CSV importer recognises a UTF-16 file) is named as
 * such rather than as broken UTF-8 (trial 13, C1).
 */
export function decodeUtf8(raw: Buffer): string {
  const utf16 = utf16Mark(raw);
  if (utf16) {
    throw new SegmintError(
      'invalid_utf8',
      `The body is ${utf16} text (it starts with the byte-order mark ${utf16 === 'UTF-16LE' ? 'FF FE' : 'FE FF'}), not UTF-8. Send it as UTF-8 text.`,
      { received: utf16, accepted: 'UTF-8' },
      400,
    );
  }
  if (!isUtf8(raw)) {
    throw new SegmintError(
      'invalid_utf8',
      'The body is not valid UTF-8: it holds bytes that are no character (Latin-1 text, or a surrogate written as bytes). Send UTF-8 text.',
      { accepted: 'UTF-8' },
      400,
    );
  }
  return raw.toString('utf8');
}

/** `batch[1].properties.a`, `body.userId`: a path as people read it (items of a batch by their index). */
export function formatPath(path: JsonPath): string {
  let out = path[0] === 'batch' ? '' : 'body';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** Where a string from outside breaks Unicode: the index of its first lone surrogate, or -1. */
export function loneSurrogateAt(s: string): number {
  if (!SURROGATE.test(s)) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

const MAX_REPORTED = 20;
// Problems kept for the answer; past this only counted, so a hostile body cannot grow the list.
const MAX_KEPT = 1000;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * What a scan of the text tells before parsing: the number of keys (a ':' outside strings), and whether
 * every number is plain: written as a double prints it (no exponent, no "1.0", no "-0"), and an integer
 * is a safe one. A plain number reads the same from its text as JSON.parse reads it.
 */
interface Shape {
  readonly keys: number;
  readonly plainNumbers: boolean;
  /** whether a string may hold a surrogate: one written as such, or any \uD… escape (most bodies have none) */
  readonly surrogates: boolean;
}

function checkDepth(text: string, maxDepth: number): Shape {
  let depth = 0;
  let keys = 0;
  let plainNumbers = true;
  // A surrogate can only stand in a string (anywhere else the text is no JSON, and the lossless reader says so).
  let surrogates = SURROGATE.test(text);
  const n = text.length;
  let backslash = text.indexOf('\\');
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: jump to its closing quote (indexOf is native), unless a backslash comes first.
      let end = text.indexOf('"', i + 1);
      if (end < 0) end = n;
      if (backslash >= 0 && backslash < end) {
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 0x22) break;
          if (d === 0x5c) {
            // backslash: skip the escaped character; \uD… may write a surrogate
            if (text.charCodeAt(i + 1) === 0x75 && (text.charCodeAt(i + 2) | 0x20) === 0x64) surrogates = true;
            i++;
          }
        }
        backslash = text.indexOf('\\', i);
      } else i = end;
    } else if (c === 0x3a) keys++;
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < n && isNumberChar(text.charCodeAt(end))) end++;
      if (plainNumbers && !isPlainNumber(text, i, end)) plainNumbers = false;
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) {
        throw new SegmintError(
          'json_too_deep',
          `The JSON body nests deeper than ${maxDepth} levels of arrays and objects (${lineAndColumn(text, i)}); at most ${maxDepth} are accepted.`,
          { limit: maxDepth, position: i },
          400,
        );
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return { keys, plainNumbers, surrogates };
}

// digits, '.', 'e', 'E', '+', '-'
const isNumberChar = (c: number): boolean => (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
const PLAIN_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function isPlainNumber(text: string, start: number, end: number): boolean {
  // The common case without making a string: up to 15 digits, no sign, no leading zero.
  if (end - start <= 15) {
    let digits = true;
    for (let i = start; i < end && digits; i++) {
      const c = text.charCodeAt(i);
      digits = c >= 0x30 && c <= 0x39;
    }
    if (digits && (end - start === 1 || text.charCodeAt(start) !== 0x30)) return true;
  }
  const token = text.slice(start, end);
  if (!PLAIN_NUMBER.test(token)) return false;
  const n = Number(token);
  return String(n) === token && (token.includes('.') || Number.isSafeInteger(n));
}

/**
 * JSON.parse, taken only when it reads exactly what the lossless reader would (a property test checks
 * them against each other): plain numbers only (checkDepth), no repeated key (as many keys parsed as
 * the text has), no key named __proto__ and no lone surrogate in a string or key. Anything else, and
 * any text JSON.parse refuses, goes to the lossless reader, which names the problem. Several times
 * faster, and it makes no second copy of the body. `surrogates` false (checkDepth saw no surrogate and
 * no \uD… escape in any string) spares testing each string for one.
 */
export function readPlainJson(body: string, keysInText: number, surrogates = true): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false };
  }
  let keys = 0;
  const clean = (v: unknown): boolean => {
    if (typeof v === 'string') return !surrogates || loneSurrogateAt(v) < 0;
    if (Array.isArray(v)) {
      for (const x of v) if (!clean(x)) return false;
      return true;
    }
    if (v !== null && typeof v === 'object') {
      // for…in makes no array of keys; an object from JSON.parse has only its own keys (anything
      // inherited would make the count differ, which only sends the body to the lossless reader).
      for (const k in v) {
        keys++;
        if (k === '__proto__' || (surrogates && loneSurrogateAt(k) >= 0) || !clean((v as Record<string, unknown>)[k])) return false;
      }
    }
    return true;
  };
  return clean(value) && keys === keysInText ? { ok: true, value } : { ok: false };
}

// path is one array the walk pushes to and pops from (a copy is kept only with a problem), so a body of
// 16,000 events does not allocate a path per value.
function materialise(v: unknown, path: (string | number)[], problems: Problems, key?: string): unknown {
  if (typeof v === 'string') {
    const at = loneSurrogateAt(v);
    if (at >= 0) report(problems, [...path], unicodeProblem(v, at));
    return v;
  }
  if (isLosslessNumber(v)) return numberOf(v, path, problems, key);
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      out[i] = materialise(v[i], path, problems);
      path.pop();
    }
    return out;
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const at = loneSurrogateAt(k);
      if (at >= 0) report(problems, [...path], `the key ${JSON.stringify(k)} ${unicodeProblem(k, at)}`);
      if (k === '__proto__') {
        report(problems, [...path, k], 'a key named "__proto__" is not accepted: JavaScript programs reading the data could take it for the object\'s prototype. Rename the key.');
        continue;
      }
      path.push(k);
      out[k] = materialise((v as Record<string, unknown>)[k], path, problems, k);
      path.pop();
    }
    return out;
  }
  return v;
}

function numberOf(n: LosslessNumber, path: (string | number)[], problems: Problems, key: string | undefined): unknown {
  const text = n.value;
  const reason = getUnsafeNumberReason(text);
  if (reason === 'overflow') {
    report(problems, [...path], `the number ${text.length > 40 ? `${text.slice(0, 40)}…` : text} is beyond the range of numbers (±1.8e308)`);
    return null;
  }
  if (key !== undefined && isIdentifierKey(key)) {
    // An identifier is text that happens to be written as a number: keep exactly what was written.
    return reason === undefined && String(Number(text)) === text ? Number(text) : text;
  }
  if (reason === 'truncate_integer') return text;
  return Number(text);
}

/** Keys whose values are identifiers: id, userId, order_id, sku, … */
export function isIdentifierKey(key: string): boolean {
  return key.toLowerCase() === 'id' || key.toLowerCase() === 'sku' || /[a-z0-9]Id$/.test(key) || /_id$/i.test(key);
}

function unicodeProblem(s: string, at: number): string {
  const unit = s.charCodeAt(at).toString(16).toUpperCase();
  return `is not valid Unicode text: it holds an unpaired surrogate \\u${unit} at character ${at + 1}. Such a string cannot be stored as UTF-8; send the intended character (a surrogate pair) or remove it`;
}

function report(problems: Problems, path: readonly (string | number)[], message: string): void {
  problems.count++;
  if (problems.kept.length < MAX_KEPT) problems.kept.push({ path, message });
}

function bodyProblems({ kept, count }: Problems): SegmintError {
  const shown = kept.slice(0, MAX_REPORTED).map((p) => `${formatPath(p.path)}: ${p.message}`);
  const more = count > MAX_REPORTED ? `; and ${count - MAX_REPORTED} more` : '';
  const items = kept.slice(0, 100).map((p) => {
    const inBatch = p.path[0] === 'batch' && typeof p.path[1] === 'number';
    return { ...(inBatch ? { index: p.path[1] } : {}), field: fieldPath(inBatch ? p.path.slice(2) : p.path), message: p.message };
  });
  return new SegmintError('invalid_body', `${count} problem(s) in the body, nothing was stored: ${shown.join('; ')}${more}`, { items }, 400);
}

function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  return `line ${line}, column ${column}`;
}

function excerpt(text: string, position: number): string {
  const from = Math.max(0, position - 20);
  return text.slice(from, position + 20);
}

/** A path relative to its item, as validate.ts names fields: `properties.order_id`. */
function fieldPath(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(message)' : out;
}
