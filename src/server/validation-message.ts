import { quotedExcerpt } from '../domain/excerpt.js';
import type { FastifyRequest } from 'fastify';
import { figure } from '../domain/words.js';

/** One schema problem as fastify-type-provider-zod reports it (the zod issue's fields in `params`). */
interface Issue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** One problem in the API's words: where, what was received, what is accepted. */
export interface ValidationProblem {
  /** e.g. `query.limit`, `params.id`, `body.rules[0].field` */
  readonly field: string;
  /** the value sent (undefined: nothing was sent) */
  readonly received: unknown;
  readonly accepted: string;
  readonly message: string;
}

// Fastify's validation contexts: the words a message uses, and the prefix of the field's name.
const PARTS: Record<string, { words: string; prefix: string; of: (req: FastifyRequest) => unknown }> = {
  querystring: { words: 'query parameter', prefix: 'query', of: (req) => req.query },
  params: { words: 'path parameter', prefix: 'params', of: (req) => req.params },
  body: { words: 'body field', prefix: 'body', of: (req) => req.body },
  headers: { words: 'header', prefix: 'headers', of: (req) => req.headers },
};

/**
 * The schema problems of a request (Fastify's `err.validation` under `err.validationContext`), each
 * as one sentence that says what was received, what is accepted and where, e.g.
 * `The query parameter "limit" is "abc"; accepted: a whole number from 1 to 1,000.` The accepted values
 * are read from the route's own schema (so the whole range is named, not only the bound that failed),
 * else from the issue; a route's own message (a refinement) is kept after the value received.
 *
 * Each problem is said once: one value can fail two checks that read alike once the whole range is named
 * (a whole number past 2^53 fails zod's safe-integer bound and the route's own maximum: trial 11, C8);
 * and where a route's refinement says what a field accepts in this request (a bound that depends on
 * another field), that is the field's one problem, not the schema's own bound beside it (`limit` past
 * 1,000 with `q` failed both "from 1 to 1,000" and "from 1 to 100 with q": recheck 11, N3).
 */
export function validationProblems(context: string | undefined, issues: readonly Issue[], req: FastifyRequest): ValidationProblem[] {
  const problems = issueProblems(context, issues, req);
  const refined = new Set(problems.filter((p) => p.refined).map((p) => p.field));
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.field}\u0000${p.message}`;
      if (seen.has(key) || (refined.has(p.field) && !p.refined)) return false;
      seen.add(key);
      return true;
    })
    .map(({ refined: _, ...p }) => p);
}

/** Each issue in words (validationProblems), one problem per issue. */
function issueProblems(context: string | undefined, issues: readonly Issue[], req: FastifyRequest): (ValidationProblem & { refined: boolean })[] {
  const part = PARTS[context ?? ''] ?? { words: 'field', prefix: context ?? 'request', of: () => undefined };
  const schema = (req.routeOptions.schema as Record<string, unknown> | undefined)?.[context ?? ''];
  return issues.map((issue) => {
    const path = issue.instancePath.split('/').filter((p) => p !== '');
    const name = path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
    const received = valueAt(part.of(req), path);
    const where = path.length === 0 ? `The ${context === 'body' ? 'body' : part.words.split(' ')[0]}` : `The ${part.words} "${name}"`;
    const sent = received === undefined ? 'is missing' : `is ${quotedExcerpt(received)}`;
    const custom = issue.keyword === 'custom' && issue.message ? issue.message : undefined;
    // A refinement that says what is accepted ("accepted: …", a bound that depends on another field) is
    // worded as the schema's own bounds are; any other refinement message is kept after the value.
    const ownAccepted = custom?.startsWith('accepted: ') ? custom.slice('accepted: '.length) : undefined;
    const own = ownAccepted === undefined ? custom : undefined;
    const accepted = ownAccepted ?? own ?? describeSchema(schemaAt(schema, path)) ?? describeIssue(issue);
    const message = own ? `${where} ${sent}: ${own}` : `${where} ${sent}; accepted: ${accepted}`;
    return { field: path.length === 0 ? part.prefix : `${part.prefix}.${name}`, received, accepted, message: message.replace(/\.?$/, '.'), refined: ownAccepted !== undefined };
  });
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** The zod schema at `path` inside an object schema (undefined when it cannot be followed). */
function schemaAt(schema: unknown, path: readonly string[]): unknown {
  let s = unwrap(schema);
  // The last step is not unwrapped: its wrappers may hold the parameter's description (descriptionOf).
  for (const [i, p] of path.entries()) {
    const def = defOf(s);
    if (def?.type === 'object') s = (def.shape as Record<string, unknown> | undefined)?.[p];
    else if (def?.type === 'array') s = def.element;
    else return undefined;
    if (i < path.length - 1) s = unwrap(s);
  }
  return s;
}

/** The first description met going from `s` through its wrappers (optional, default…) to its type. */
function descriptionOf(s: unknown): string | undefined {
  let cur = s;
  for (let i = 0; i < 10 && cur !== undefined; i++) {
    const d = (cur as { description?: unknown }).description;
    if (typeof d === 'string' && d !== '') return d;
    cur = unwrap(cur) === cur ? undefined : defOf(cur)?.innerType;
  }
  return undefined;
}

interface Def {
  readonly type: string;
  readonly [k: string]: unknown;
}

function defOf(s: unknown): Def | undefined {
  const def = (s as { def?: unknown } | undefined)?.def;
  return def !== null && typeof def === 'object' && typeof (def as Def).type === 'string' ? (def as Def) : undefined;
}

/**
 * Through optional, default, nullable and the like to the type they wrap, and through a preprocess (a
 * pipe from a transform, as the query numbers of routes/query-numbers.ts are) to the type it feeds.
 */
export function unwrap(s: unknown): unknown {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const def = defOf(cur);
    if (def?.type === 'pipe' && defOf(def.in)?.type === 'transform') {
      cur = def.out;
      continue;
    }
    if (!def || !['optional', 'default', 'nullable', 'prefault', 'catch', 'readonly', 'nonoptional'].includes(def.type)) return cur;
    cur = def.innerType;
  }
  return cur;
}

const bound = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < Number.MAX_SAFE_INTEGER ? x : undefined);

function range(min: number | undefined, max: number | undefined, unit = ''): string {
  if (min !== undefined && max !== undefined) return ` from ${figure(min)} to ${figure(max)}${unit}`;
  if (min !== undefined) return ` of at least ${figure(min)}${unit}`;
  if (max !== undefined) return ` of at most ${figure(max)}${unit}`;
  return '';
}

/** The number a check of `kind` (`min_length`, `max_length`) among the schema's checks holds in `key`. */
function checkBound(def: Def, kind: string, key: string): number | undefined {
  const checks = (def as { checks?: unknown }).checks;
  if (!Array.isArray(checks)) return undefined;
  for (const c of checks) {
    const d = (c as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
    if (d?.check === kind) return bound(d[key]);
  }
  return undefined;
}

const listed = (values: readonly unknown[]): string => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/** What a zod schema accepts, in words; undefined for a shape this does not describe. */
function describeSchema(wrapped: unknown): string | undefined {
  const s = unwrap(wrapped);
  const def = defOf(s);
  if (!def) return undefined;
  const z = s as { minValue?: unknown; maxValue?: unknown; isInt?: unknown; minLength?: unknown; maxLength?: unknown; options?: unknown };
  switch (def.type) {
    case 'number':
      return `${z.isInt ? 'a whole number' : 'a number'}${range(bound(z.minValue), bound(z.maxValue))}`;
    case 'enum':
      return Array.isArray(z.options) ? `one of ${listed(z.options)}` : undefined;
    case 'literal':
      return Array.isArray(def.values) ? `${def.values.length > 1 ? 'one of ' : ''}${listed(def.values)}` : undefined;
    case 'boolean':
      return 'true or false';
    case 'array':
      // zod keeps an array's bounds only among its checks (a string's are also properties).
      return `an array of ${pluralOf(def.element)}${range(checkBound(def, 'min_length', 'minimum'), checkBound(def, 'max_length', 'maximum'), ' items')}`;
    case 'object':
    case 'record':
      return 'an object';
    case 'string': {
      const min = bound(z.minLength);
      const max = bound(z.maxLength);
      const text = min === 1 && max === undefined ? 'a non-empty text' : `a text${range(min, max, ' characters')}`;
      // A text's schema type says nothing of its form (a date, a moment, a list): the route's own
      // description of the parameter does.
      const described = descriptionOf(wrapped);
      if (!described) return text;
      return min === undefined && max === undefined ? described : `${text}: ${described}`;
    }
    case 'union': {
      // `auto` or a whole number: each option in words, or nothing when one of them has none.
      const words = Array.isArray(def.options) ? def.options.map(describeSchema) : [];
      return words.length > 0 && words.every((w) => w !== undefined) ? words.join(' or ') : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * What the items of an array are, in the plural: the item schema's own description when it has one
 * (`z.string().describe('"column=field" texts')`), else its type ("texts", "whole numbers", …).
 */
function pluralOf(element: unknown): string {
  const described = (element as { description?: unknown } | undefined)?.description;
  if (typeof described === 'string' && described !== '') return described;
  const inner = unwrap(element);
  const def = defOf(inner);
  switch (def?.type) {
    case 'string':
      return 'texts';
    case 'number':
      return (inner as { isInt?: unknown }).isInt ? 'whole numbers' : 'numbers';
    case 'boolean':
      return 'true or false values';
    case 'enum':
      return `texts, each one of ${listed((inner as { options?: unknown[] }).options ?? [])}`;
    case 'object':
    case 'record':
      return 'objects';
    case 'array':
      return 'arrays';
    default:
      return 'values';
  }
}

/** "a" or "an" before a word, by its first letter. */
const article = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

/** An issue's bound (a number, a bigint, or a date's time) as figure writes it. */
const boundOf = (b: unknown): string => (typeof b === 'number' && Number.isFinite(b)) || typeof b === 'bigint' ? figure(b) : String(b);

/** What an issue says is accepted, when the schema could not be read. */
function describeIssue(issue: Issue): string {
  const p = issue.params ?? {};
  const unit = p.origin === 'string' ? ' characters' : p.origin === 'array' ? ' items' : '';
  switch (issue.keyword) {
    case 'invalid_type':
      return p.expected === 'int' ? 'a whole number' : article(String(p.expected));
    case 'too_small':
      return `${p.inclusive === false ? 'more than' : 'at least'} ${boundOf(p.minimum)}${unit}`;
    case 'too_big':
      return `${p.inclusive === false ? 'less than' : 'at most'} ${boundOf(p.maximum)}${unit}`;
    case 'invalid_value':
      return Array.isArray(p.values) ? `one of ${listed(p.values)}` : 'another value';
    case 'invalid_format':
      return `a text in the ${String(p.format)} format`;
    case 'unrecognized_keys':
      return `no field ${Array.isArray(p.keys) ? listed(p.keys) : ''}`.trim();
    default:
      return (issue.message ?? 'another value').replace(/^Invalid input:?\s*/i, '') || 'another value';
  }
}
