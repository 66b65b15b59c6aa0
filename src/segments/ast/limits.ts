import { childConditions } from './children.js';
import type { Condition } from './condition.js';
import type { Duration } from './values.js';
import { DAY_MS } from '../../domain/days.js';

/**
 * How large a segment definition may be (docs/segment-language.md, "Limits"), checked before any work:
 * the parser, the JSON schema and the compiler (after `in segment` is inlined) all refuse what is past
 * these, so one definition cannot take the server's memory or stack.
 */
export const SEGMENT_LIMITS = {
  /** characters of definition text */
  textChars: 20_000,
  /** levels of parentheses, `not` and `where` inside each other, in text */
  nesting: 24,
  /** levels of and/or/not/where nodes in the AST (text parenthesised 24 deep makes at most 48) */
  astDepth: 48,
  /** conditions (comparisons, behaviour conditions, consent, in segment) in one definition, counting inlined segments */
  conditions: 200,
  /** sequences and distinct consent channels: each is a join of its own in SQL, costly to plan */
  joins: 20,
  /** values in one `in (…)` list */
  listValues: 1000,
  /**
   * numbers are below this in size after rounding to a 64-bit float (both the SQL compiler, which binds
   * them as DOUBLE, and the evaluator compare them as floats): 2^63, so the largest accepted is 2^63 − 1024
   */
  numberMagnitude: 2 ** 63,
  /** times in `at least N times` */
  count: 1e9,
  /** a duration or relative date spans at most this many years */
  durationYears: 10_000,
  /** levels of arrays and objects in a JSON definition (an AST 48 deep takes about 100) */
  jsonDepth: 128,
} as const;

const UNIT_DAYS: Record<Duration['unit'], number> = { s: 1 / 86_400, min: 1 / 1440, h: 1 / 24, d: 1, w: 7, m: 31, y: 366 };

/** Why a duration is too long (over SEGMENT_LIMITS.durationYears), or undefined when it is not. */
export function durationProblem(d: Duration): string | undefined {
  const days = Math.abs(d.amount) * UNIT_DAYS[d.unit];
  if (!Number.isSafeInteger(d.amount) || days * DAY_MS > SEGMENT_LIMITS.durationYears * 366 * DAY_MS) {
    return `${d.amount}${d.unit} is longer than the ${SEGMENT_LIMITS.durationYears.toLocaleString('en-US')} years a duration may span`;
  }
  return undefined;
}

/** The largest number a definition accepts: the 64-bit float just below 2^63 (2^63 − 1024). */
const LARGEST_NUMBER_TEXT = '9,223,372,036,854,774,784';

/**
 * Why a number literal is out of range, or undefined. `n` is the literal already read as a 64-bit float
 * (JavaScript's Number of the written text), so a literal just below 2^63, such as 2^63 − 2, rounds to
 * 2^63 and is refused: the message says so, with the largest accepted value and the 2^53 below which
 * whole numbers are exact (IEEE 754 binary64: 53 bits of significand).
 */
export function numberProblem(n: number, written = String(n)): string | undefined {
  const shown = written.length > 40 ? `${written.slice(0, 40)}…` : written;
  if (!Number.isFinite(n)) return `the number ${shown} is out of range: it is too large for a 64-bit float`;
  if (Math.abs(n) >= SEGMENT_LIMITS.numberMagnitude) {
    return (
      `the number ${shown} is out of range: numbers in a definition are read as 64-bit floats, which must be below 2^63 in size` +
      ` (the largest accepted is ${LARGEST_NUMBER_TEXT}; whole numbers are exact up to 2^53, 9,007,199,254,740,992)`
    );
  }
  return undefined;
}

/** Conditions in a definition (every node but and, or, not) and how deeply they nest. */
export function conditionStats(ast: Condition): { conditions: number; depth: number; joins: number } {
  let conditions = 0;
  let depth = 0;
  let sequences = 0;
  const channels = new Set<string>();
  const walk = (c: Condition, level: number): void => {
    depth = Math.max(depth, level);
    if (c.kind !== 'and' && c.kind !== 'or' && c.kind !== 'not') conditions++;
    if (c.kind === 'sequence') sequences++;
    if (c.kind === 'consent') channels.add(c.channel);
    for (const child of childConditions(c)) walk(child, level + 1);
  };
  walk(ast, 0);
  return { conditions, depth, joins: sequences + channels.size };
}

/** Why a definition is too large, or undefined: for the JSON form and for text alike. */
export function sizeProblem(ast: Condition): string | undefined {
  const { conditions, depth, joins } = conditionStats(ast);
  if (joins > SEGMENT_LIMITS.joins) return joinsProblem(joins);
  if (depth > SEGMENT_LIMITS.astDepth) return `the definition nests ${depth} levels deep; at most ${SEGMENT_LIMITS.astDepth} levels of and/or/not/where are accepted`;
  if (conditions > SEGMENT_LIMITS.conditions) {
    return `the definition has ${conditions} conditions; at most ${SEGMENT_LIMITS.conditions} are accepted`;
  }
  return undefined;
}

/** Levels of arrays and objects in a parsed JSON value, stopping early past `stop` (no recursion). */
export function jsonDepth(value: unknown, stop: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const level = d + 1;
    if (level > max) max = level;
    if (max > stop) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, level]);
  }
  return max;
}

/** The words for a definition past SEGMENT_LIMITS.joins. */
export function joinsProblem(joins: number): string {
  return `the definition has ${joins} sequences and consent channels; at most ${SEGMENT_LIMITS.joins} are accepted (each is a join of its own)`;
}
