import { childConditions } from './children.js';
import type { Condition } from './condition.js';
import type { Duration } from './values.js';

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
  /** numbers are below this in size: 2^63, the range every backend compares exactly as integers */
  numberMagnitude: 2 ** 63,
  /** times in `at least N times` */
  count: 1e9,
  /** a duration or relative date spans at most this many years */
  durationYears: 10_000,
  /** levels of arrays and objects in a JSON definition (an AST 48 deep takes about 100) */
  jsonDepth: 128,
} as const;

const DAY_MS = 86_400_000;
const UNIT_DAYS: Record<Duration['unit'], number> = { s: 1 / 86_400, min: 1 / 1440, h: 1 / 24, d: 1, w: 7, m: 31, y: 366 };

/** Why a duration is too long (over SEGMENT_LIMITS.durationYears), or undefined when it is not. */
export function durationProblem(d: Duration): string | undefined {
  const days = Math.abs(d.amount) * UNIT_DAYS[d.unit];
  if (!Number.isSafeInteger(d.amount) || days * DAY_MS > SEGMENT_LIMITS.durationYears * 366 * DAY_MS) {
    return `${d.amount}${d.unit} is longer than the ${SEGMENT_LIMITS.durationYears.toLocaleString('en-US')} years a duration may span`;
  }
  return undefined;
}

/** Why a number literal is out of range (not finite, or 2^63 or more in size), or undefined. */
export function numberProblem(n: number, written = String(n)): string | undefined {
  if (!Number.isFinite(n) || Math.abs(n) >= SEGMENT_LIMITS.numberMagnitude) {
    return `the number ${written.length > 40 ? `${written.slice(0, 40)}…` : written} is out of range: numbers in a definition are below 2^63 (9,223,372,036,854,775,808) in size`;
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
