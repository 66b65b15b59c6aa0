/**
 * Whether a value written as JSON (JSON.stringify, then UTF-8) takes at most `limit` bytes, and how many
 * it takes when it does not.
 *
 * Writing every message of a batch as JSON only to count its bytes cost about as much as validating it
 * (a string per message, soon garbage). Nearly every message is far below the limit, so a walk first adds
 * up an upper bound of the size, which needs no string: JSON.stringify writes each UTF-16 unit of a
 * string or key in at most 6 bytes (a control character or a lone surrogate as \uXXXX; any other unit in
 * at most 3 bytes of UTF-8, a surrogate pair in 4), a finite number in at most 25 characters
 * (17 digits, a sign, and either "0.00000" or an exponent such as "e+308"; 32 are counted), true/false/null in at most 5, plus quotes, colons, commas and brackets.
 * Only a value whose bound passes the limit is written out and measured exactly, so the answer is always
 * the exact one.
 */
export function jsonBytesWithin(value: unknown, limit: number): { within: true } | { within: false; bytes: number } {
  if (boundWithin(value, { left: limit })) return { within: true };
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  return bytes <= limit ? { within: true } : { within: false, bytes };
}

// Spends an upper bound of v's JSON size from budget.left; false as soon as it is spent, or for anything
// the bound does not cover (a toJSON method, a class instance, a bigint), which is then measured exactly.
function boundWithin(v: unknown, budget: { left: number }): boolean {
  switch (typeof v) {
    case 'string':
      return (budget.left -= 2 + 6 * v.length) >= 0;
    case 'number':
      return (budget.left -= 32) >= 0;
    case 'boolean':
      return (budget.left -= 5) >= 0;
    case 'undefined':
      // In an object a key with no value is left out; in an array it is written null.
      return (budget.left -= 4) >= 0;
    case 'object': {
      if (v === null) return (budget.left -= 4) >= 0;
      if (Array.isArray(v)) {
        if ((budget.left -= 2 + v.length) < 0) return false;
        for (const x of v) if (!boundWithin(x, budget)) return false;
        return true;
      }
      // A plain object (what JSON.parse makes) can have a toJSON method only as its own key.
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      if ((budget.left -= 2) < 0) return false;
      const o = v as Record<string, unknown>;
      // for…in makes no array of keys; an inherited enumerable key (none, unless Object.prototype was
      // changed) would only be counted in excess, which keeps the bound an upper one.
      for (const k in o) {
        const x = o[k];
        if (k === 'toJSON' && typeof x === 'function') return false;
        // the key in quotes, a colon, a comma
        if ((budget.left -= 4 + 6 * k.length) < 0 || !boundWithin(x, budget)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
