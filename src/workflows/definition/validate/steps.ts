import { z } from 'zod';
import { STEP_KINDS, type Step } from '../types.js';
import { readAction } from './actions.js';
import type { Checker, Path, Raw } from './checker.js';

const STEP_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A list of steps, each read by readStep; the ones refused are left out (their problems are reported). */
export function readSteps(c: Checker, list: readonly unknown[], path: Path): Step[] {
  const out: Step[] = [];
  list.forEach((raw, i) => {
    const s = readStep(c, raw, [...path, i], autoId(path, i));
    if (s) out.push(s);
  });
  return out;
}

/**
 * One step: an object with an optional id (else `auto`, from its place) and exactly one kind. Waits,
 * branches and splits are read here (they hold steps); the actions in actions.ts.
 */
export function readStep(c: Checker, raw: unknown, path: Path, auto: string): Step | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    c.add(path, `a step is an object with one of ${STEP_KINDS.join(', ')}`, auto);
    return undefined;
  }
  const r = raw as Raw;
  const kinds = Object.keys(r).filter((k) => k !== 'id');
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : auto;
  if (r.id !== undefined && !STEP_ID.test(id)) c.add([...path, 'id'], `"${id}" is not a step id: letters, digits, _ . and -`, id);
  if (c.ids.has(id)) c.add([...path, 'id'], `the step id "${id}" is used twice`, id);
  c.ids.add(id);
  if (kinds.length !== 1 || !(STEP_KINDS as readonly string[]).includes(kinds[0]!)) {
    const unknown = kinds.filter((k) => !(STEP_KINDS as readonly string[]).includes(k));
    c.add(
      path,
      unknown.length > 0
        ? `unknown step kind "${unknown[0]}"; a step is one of ${STEP_KINDS.join(', ')}`
        : kinds.length === 0
          ? `a step needs one of ${STEP_KINDS.join(', ')}`
          : `a step does one thing; this one has ${kinds.join(' and ')}`,
      id,
    );
    return undefined;
  }
  const kind = kinds[0] as (typeof STEP_KINDS)[number];
  const body = r[kind];
  const at = [...path, kind];
  switch (kind) {
    case 'wait':
      return readWait(c, id, body, at);
    case 'branch': {
      const b = c.shape(z.object({ if: z.string(), then: z.array(z.unknown()).optional(), else: z.array(z.unknown()).optional() }).strict(), body, at, id);
      if (!b) return undefined;
      const condition = c.condition(b.if, [...at, 'if'], id);
      const then = readSteps(c, b.then ?? [], [...at, 'then']);
      const otherwise = readSteps(c, b.else ?? [], [...at, 'else']);
      return condition ? { kind: 'branch', id, condition, then, else: otherwise } : undefined;
    }
    case 'split': {
      const variant = z.object({ name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -'), weight: z.number().positive(), steps: z.array(z.unknown()).optional() }).strict();
      const b = c.shape(z.object({ variants: z.array(variant).min(2, 'a split needs at least two variants') }).strict(), body, at, id);
      if (!b) return undefined;
      const names = new Set<string>();
      const variants = b.variants.map((v, i) => {
        if (names.has(v.name)) c.add([...at, 'variants', i, 'name'], `the variant name "${v.name}" is used twice`, id);
        if (v.name === 'holdout') c.add([...at, 'variants', i, 'name'], '"holdout" is the name of the workflow\'s holdout; call the variant something else', id);
        names.add(v.name);
        return { name: v.name, weight: v.weight, steps: readSteps(c, v.steps ?? [], [...at, 'variants', i, 'steps']) };
      });
      return { kind: 'split', id, variants };
    }
    default:
      return readAction(c, kind, id, body, at);
  }
}

/** A wait: a duration, until a time of day (on weekdays), or for an event (with a timeout and the steps of each outcome). */
export function readWait(c: Checker, id: string, body: unknown, at: Path): Step | undefined {
  if (typeof body === 'string') {
    const duration = c.duration(body, at, id);
    return duration ? { kind: 'wait', id, duration } : undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    c.add(at, 'write a duration (1h), or an object with duration, until, or event', id);
    return undefined;
  }
  const b = body as Raw;
  if ('event' in b) {
    const s = c.shape(
      z
        .object({
          event: z.string().min(1),
          key: z.union([z.string().min(1), z.literal(false)]).optional(),
          where: z.string().optional(),
          timeout: z.string(),
          on_event: z.array(z.unknown()).optional(),
          on_timeout: z.array(z.unknown()).optional(),
        })
        .strict(),
      b,
      at,
      id,
    );
    if (!s) return undefined;
    const timeout = c.duration(s.timeout, [...at, 'timeout'], id);
    const where = s.where === undefined ? undefined : c.filter(s.event, s.where, [...at, 'where'], id);
    const key = s.key === false ? undefined : (s.key ?? c.triggerKey);
    const onEvent = readSteps(c, s.on_event ?? [], [...at, 'on_event']);
    const onTimeout = readSteps(c, s.on_timeout ?? [], [...at, 'on_timeout']);
    if (!timeout || (s.where !== undefined && !where)) return undefined;
    return { kind: 'wait_event', id, event: s.event, ...(key ? { key } : {}), ...(where ? { where } : {}), timeout, onEvent, onTimeout };
  }
  if ('until' in b) {
    const s = c.shape(z.object({ until: z.string(), on: z.union([z.string(), z.array(z.string())]).optional() }).strict(), b, at, id);
    if (!s) return undefined;
    const time = c.time(s.until, [...at, 'until'], id);
    const weekdays = s.on === undefined ? null : c.weekdays(s.on, [...at, 'on'], true, id);
    return time && weekdays !== undefined ? { kind: 'wait_until', id, at: time, weekdays } : undefined;
  }
  const s = c.shape(z.object({ duration: z.string() }).strict(), b, at, id);
  if (!s) return undefined;
  const duration = c.duration(s.duration, [...at, 'duration'], id);
  return duration ? { kind: 'wait', id, duration } : undefined;
}

/** The id a step gets from its place when it names none: `2`, `3.then.1`, `4.variants.B.1`. */
function autoId(listPath: Path, index: number): string {
  const parts: string[] = [];
  // listPath is ['steps'] or [..., stepIndex, kind, 'then'] etc.; keep step numbers 1-based and branch names.
  for (let i = 0; i < listPath.length; i++) {
    const p = listPath[i]!;
    if (p === 'steps' && i === 0) continue;
    if (typeof p === 'number') parts.push(String(p + 1));
    else if (['wait', 'branch', 'split', 'variants', 'steps'].includes(p)) continue;
    else parts.push(p);
  }
  parts.push(String(index + 1));
  return parts.join('.');
}
