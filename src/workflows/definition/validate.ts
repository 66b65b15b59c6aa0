import { z } from 'zod';
import { parseTimeOfDay, type TimeOfDay } from '../../domain/time-zone.js';
import type { Duration } from '../../segments/ast/values.js';
import { parseCondition, parseEventFilter } from './conditions.js';
import { templateProblem } from '../channels/email/template.js';
import { webhookUrlProblem } from '../../webhooks/url.js';
import { parseDuration } from './duration.js';
import { STEP_KINDS, type Reentry, type SegmentCondition, type Step, type Trigger, type WorkflowDefinition } from './types.js';

/** One problem of a definition: where (a path into the document), which step, what. */
export interface DefinitionIssue {
  readonly path: readonly (string | number)[];
  /** the id of the step the problem is in, when it is in one */
  readonly step?: string;
  readonly message: string;
}

type Path = readonly (string | number)[];
type Raw = Record<string, unknown>;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const STEP_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Validates a parsed document (from JSON or YAML) into a WorkflowDefinition, or returns every problem
 * found, each with its path and the step it is in. zod checks the shape of each part (unknown fields
 * are refused, so a misspelt field is named); the rules between parts (unique step ids, conditions in
 * the segment language, a key to wait on) are checked here.
 */
export function validateDefinition(raw: unknown): { definition: WorkflowDefinition } | { issues: DefinitionIssue[] } {
  const v = new Validator();
  const def = v.document(raw);
  return v.issues.length > 0 || !def ? { issues: v.issues } : { definition: def };
}

const documentShape = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    trigger: z.record(z.string(), z.unknown()),
    reentry: z.union([z.enum(['once', 'every_time']), z.object({ once_per: z.string() }).strict()]).optional(),
    goal: z.string().optional(),
    holdout: z.union([z.number(), z.string()]).optional(),
    steps: z.array(z.unknown()).min(1, 'a workflow needs at least one step'),
  })
  .strict();

class Validator {
  readonly issues: DefinitionIssue[] = [];
  private readonly ids = new Set<string>();
  private triggerKey: string | undefined;

  add(path: Path, message: string, step?: string): void {
    this.issues.push({ path: [...path], message, ...(step !== undefined ? { step } : {}) });
  }

  /** Runs a zod schema; its issues are reported under path (and step). */
  shape<T>(schema: z.ZodType<T>, value: unknown, path: Path, step?: string): T | undefined {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const i of r.error.issues) {
      const extra = i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys : [];
      const missing = i.code === 'invalid_type' && /received undefined$/.test(i.message);
      this.add([...path, ...(i.path as (string | number)[]), ...extra.slice(0, 1)], missing ? 'is required' : i.message, step);
    }
    return undefined;
  }

  document(raw: unknown): WorkflowDefinition | undefined {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.add([], 'a workflow definition is an object with trigger and steps');
      return undefined;
    }
    const doc = this.shape(documentShape, raw, []);
    if (!doc) {
      // Still look at the parts that are there, so one run names as many problems as possible.
      const r = raw as Raw;
      if (r.trigger && typeof r.trigger === 'object') this.trigger(r.trigger as Raw, ['trigger']);
      if (Array.isArray(r.steps)) this.steps(r.steps, ['steps']);
      return undefined;
    }
    const trigger = this.trigger(doc.trigger, ['trigger']);
    const reentry = this.reentry(doc.reentry, ['reentry']);
    const goal = doc.goal === undefined ? undefined : this.condition(doc.goal, ['goal']);
    const holdout = this.holdout(doc.holdout, ['holdout']);
    const steps = this.steps(doc.steps, ['steps']);
    if (!trigger || !reentry || holdout === undefined || (doc.goal !== undefined && !goal) || this.issues.length > 0) return undefined;
    return {
      ...(doc.description !== undefined ? { description: doc.description } : {}),
      trigger,
      reentry,
      ...(goal ? { goal } : {}),
      holdout,
      steps,
    };
  }

  trigger(t: Raw, path: Path): Trigger | undefined {
    const kinds = ['entered', 'exited', 'event', 'date', 'schedule'].filter((k) => k in t);
    if (kinds.length !== 1) {
      this.add(path, kinds.length === 0 ? 'give one of entered, exited, event, date or schedule' : `give only one of ${kinds.join(', ')}`);
      return undefined;
    }
    const kind = kinds[0]!;
    if (kind === 'entered' || kind === 'exited') {
      const s = this.shape(z.object({ [kind]: z.string().min(1) }).strict(), t, path);
      return s ? { kind: 'segment', change: kind, segment: s[kind]! } : undefined;
    }
    if (kind === 'event') {
      const s = this.shape(z.object({ event: z.string().min(1), where: z.string().optional(), key: z.string().min(1).optional() }).strict(), t, path);
      if (!s) return undefined;
      const where = s.where === undefined ? undefined : this.filter(s.event, s.where, [...path, 'where']);
      if (s.where !== undefined && !where) return undefined;
      this.triggerKey = s.key;
      return { kind: 'event', event: s.event, ...(where ? { where } : {}), ...(s.key ? { key: s.key } : {}) };
    }
    if (kind === 'date') {
      const s = this.shape(
        z.object({
          date: z
            .object({
              trait: z.string().min(1).optional(),
              yearly: z.boolean().optional(),
              first: z.string().min(1).optional().describe('the event whose first occurrence is the date'),
              days: z.number().int().min(-366).max(3660).optional(),
              at: z.string(),
            })
            .strict(),
        }).strict(),
        t,
        path,
      );
      if (!s) return undefined;
      const d = s.date;
      if ((d.trait === undefined) === (d.first === undefined)) {
        this.add([...path, 'date'], 'give either trait (a date trait such as birthday) or first (an event, such as "Order Completed")');
        return undefined;
      }
      const at = this.time(d.at, [...path, 'date', 'at']);
      if (!at) return undefined;
      const source = d.trait !== undefined ? { trait: d.trait, yearly: d.yearly ?? true } : { firstEvent: d.first! };
      return { kind: 'date', source, days: d.days ?? 0, at };
    }
    const s = this.shape(
      z.object({ schedule: z.object({ segment: z.string().min(1), every: z.union([z.string(), z.array(z.string())]), at: z.string() }).strict() }).strict(),
      t,
      path,
    );
    if (!s) return undefined;
    const weekdays = this.weekdays(s.schedule.every, [...path, 'schedule', 'every'], true);
    const at = this.time(s.schedule.at, [...path, 'schedule', 'at']);
    if (weekdays === undefined || !at) return undefined;
    return { kind: 'schedule', segment: s.schedule.segment, weekdays, at };
  }

  reentry(r: 'once' | 'every_time' | { once_per: string } | undefined, path: Path): Reentry | undefined {
    if (r === undefined || r === 'every_time') return { kind: 'every_time' };
    if (r === 'once') return { kind: 'once' };
    const period = this.duration(r.once_per, [...path, 'once_per']);
    return period ? { kind: 'once_per', period } : undefined;
  }

  holdout(h: number | string | undefined, path: Path): number | undefined {
    if (h === undefined) return 0;
    const pct = typeof h === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(h) : null;
    const value = typeof h === 'number' ? h : pct ? Number(pct[1]) / 100 : NaN;
    if (!Number.isFinite(value) || value < 0 || value >= 1) {
      this.add(path, `${JSON.stringify(h)} is not a share; write e.g. 10% or 0.1 (at least 0, below 100%)`);
      return undefined;
    }
    return value;
  }

  steps(list: readonly unknown[], path: Path): Step[] {
    const out: Step[] = [];
    list.forEach((raw, i) => {
      const s = this.step(raw, [...path, i], autoId(path, i));
      if (s) out.push(s);
    });
    return out;
  }

  step(raw: unknown, path: Path, auto: string): Step | undefined {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.add(path, `a step is an object with one of ${STEP_KINDS.join(', ')}`, auto);
      return undefined;
    }
    const r = raw as Raw;
    const kinds = Object.keys(r).filter((k) => k !== 'id');
    const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : auto;
    if (r.id !== undefined && !STEP_ID.test(id)) this.add([...path, 'id'], `"${id}" is not a step id: letters, digits, _ . and -`, id);
    if (this.ids.has(id)) this.add([...path, 'id'], `the step id "${id}" is used twice`, id);
    this.ids.add(id);
    if (kinds.length !== 1 || !(STEP_KINDS as readonly string[]).includes(kinds[0]!)) {
      const unknown = kinds.filter((k) => !(STEP_KINDS as readonly string[]).includes(k));
      this.add(
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
        return this.wait(id, body, at);
      case 'branch': {
        const b = this.shape(z.object({ if: z.string(), then: z.array(z.unknown()).optional(), else: z.array(z.unknown()).optional() }).strict(), body, at, id);
        if (!b) return undefined;
        const condition = this.condition(b.if, [...at, 'if'], id);
        const then = this.steps(b.then ?? [], [...at, 'then']);
        const otherwise = this.steps(b.else ?? [], [...at, 'else']);
        return condition ? { kind: 'branch', id, condition, then, else: otherwise } : undefined;
      }
      case 'split': {
        const variant = z.object({ name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -'), weight: z.number().positive(), steps: z.array(z.unknown()).optional() }).strict();
        const b = this.shape(z.object({ variants: z.array(variant).min(2, 'a split needs at least two variants') }).strict(), body, at, id);
        if (!b) return undefined;
        const names = new Set<string>();
        const variants = b.variants.map((v, i) => {
          if (names.has(v.name)) this.add([...at, 'variants', i, 'name'], `the variant name "${v.name}" is used twice`, id);
          if (v.name === 'holdout') this.add([...at, 'variants', i, 'name'], '"holdout" is the name of the workflow\'s holdout; call the variant something else', id);
          names.add(v.name);
          return { name: v.name, weight: v.weight, steps: this.steps(v.steps ?? [], [...at, 'variants', i, 'steps']) };
        });
        return { kind: 'split', id, variants };
      }
      case 'email': {
        const b = this.shape(
          z
            .object({
              subject: z.string().min(1),
              html: z.string().optional(),
              text: z.string().optional(),
              from: z.string().optional(),
              reply_to: z.string().optional(),
              transactional: z.boolean().optional(),
            })
            .strict(),
          body,
          at,
          id,
        );
        if (!b) return undefined;
        if (b.html === undefined && b.text === undefined) {
          this.add(at, 'give html, text or both', id);
          return undefined;
        }
        for (const field of ['subject', 'html', 'text', 'from', 'reply_to'] as const) {
          const t = b[field];
          if (t !== undefined) this.template(t, [...at, field], id);
        }
        return {
          kind: 'email',
          id,
          subject: b.subject,
          ...(b.html !== undefined ? { html: b.html } : {}),
          ...(b.text !== undefined ? { text: b.text } : {}),
          ...(b.from !== undefined ? { from: b.from } : {}),
          ...(b.reply_to !== undefined ? { replyTo: b.reply_to } : {}),
          transactional: b.transactional ?? false,
        };
      }
      case 'webhook': {
        const b = this.shape(
          z.union([
            z.string(),
            z.object({ url: z.string(), secret: z.string().min(16, 'a signing secret has at least 16 characters').optional(), headers: z.record(z.string(), z.string()).optional() }).strict(),
          ]),
          body,
          at,
          id,
        );
        if (b === undefined) return undefined;
        const w = typeof b === 'string' ? { url: b } : b;
        const urlProblem = /^https?:\/\/[^\s/]+/.test(w.url) ? webhookUrlProblem(w.url) : `"${w.url.slice(0, 200)}" is not an http:// or https:// address`;
        if (urlProblem) {
          this.add([...at, 'url'], urlProblem, id);
          return undefined;
        }
        return { kind: 'webhook', id, url: w.url, ...(w.secret ? { secret: w.secret } : {}), headers: w.headers ?? {} };
      }
      case 'set_trait': {
        const b = this.shape(z.record(z.string().min(1), z.unknown()), body, at, id);
        if (!b) return undefined;
        if (Object.keys(b).length === 0) {
          this.add(at, 'name at least one trait and its value', id);
          return undefined;
        }
        for (const [k, v] of Object.entries(b)) if (typeof v === 'string') this.template(v, [...at, k], id);
        return { kind: 'set_trait', id, traits: b };
      }
      case 'tag':
      case 'list': {
        const names = z.union([z.string().min(1), z.array(z.string().min(1))]);
        const b = this.shape(z.union([z.string().min(1), z.object({ add: names.optional(), remove: names.optional() }).strict()]), body, at, id);
        if (b === undefined) return undefined;
        const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
        const add = typeof b === 'string' ? [b] : list(b.add);
        const remove = typeof b === 'string' ? [] : list(b.remove);
        if (add.length + remove.length === 0) {
          this.add(at, `give the ${kind === 'tag' ? 'tags' : 'lists'} to add or remove`, id);
          return undefined;
        }
        return { kind, id, add, remove };
      }
      case 'exit': {
        const b = this.shape(z.union([z.string().min(1), z.literal(true), z.object({ reason: z.string().min(1) }).strict()]), body, at, id);
        if (b === undefined) return undefined;
        return { kind: 'exit', id, reason: b === true ? 'exit' : typeof b === 'string' ? b : b.reason };
      }
    }
  }

  wait(id: string, body: unknown, at: Path): Step | undefined {
    if (typeof body === 'string') {
      const duration = this.duration(body, at, id);
      return duration ? { kind: 'wait', id, duration } : undefined;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      this.add(at, 'write a duration (1h), or an object with duration, until, or event', id);
      return undefined;
    }
    const b = body as Raw;
    if ('event' in b) {
      const s = this.shape(
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
      const timeout = this.duration(s.timeout, [...at, 'timeout'], id);
      const where = s.where === undefined ? undefined : this.filter(s.event, s.where, [...at, 'where'], id);
      const key = s.key === false ? undefined : (s.key ?? this.triggerKey);
      const onEvent = this.steps(s.on_event ?? [], [...at, 'on_event']);
      const onTimeout = this.steps(s.on_timeout ?? [], [...at, 'on_timeout']);
      if (!timeout || (s.where !== undefined && !where)) return undefined;
      return { kind: 'wait_event', id, event: s.event, ...(key ? { key } : {}), ...(where ? { where } : {}), timeout, onEvent, onTimeout };
    }
    if ('until' in b) {
      const s = this.shape(z.object({ until: z.string(), on: z.union([z.string(), z.array(z.string())]).optional() }).strict(), b, at, id);
      if (!s) return undefined;
      const time = this.time(s.until, [...at, 'until'], id);
      const weekdays = s.on === undefined ? null : this.weekdays(s.on, [...at, 'on'], true, id);
      return time && weekdays !== undefined ? { kind: 'wait_until', id, at: time, weekdays } : undefined;
    }
    const s = this.shape(z.object({ duration: z.string() }).strict(), b, at, id);
    if (!s) return undefined;
    const duration = this.duration(s.duration, [...at, 'duration'], id);
    return duration ? { kind: 'wait', id, duration } : undefined;
  }

  duration(text: string, path: Path, step?: string): Duration | undefined {
    try {
      return parseDuration(text);
    } catch (e) {
      this.add(path, (e as Error).message, step);
      return undefined;
    }
  }

  time(text: string, path: Path, step?: string): TimeOfDay | undefined {
    try {
      return parseTimeOfDay(text);
    } catch (e) {
      this.add(path, (e as Error).message, step);
      return undefined;
    }
  }

  /** Weekday names (or "day" / "every day" for all when allowed) → 0-6, or null for every day. */
  weekdays(v: string | string[], path: Path, allowDaily: boolean, step?: string): number[] | null | undefined {
    const list = (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim().toLowerCase());
    if (allowDaily && list.length === 1 && (list[0] === 'day' || list[0] === 'every day' || list[0] === 'daily')) return null;
    const out: number[] = [];
    for (const d of list) {
      const i = WEEKDAYS.findIndex((w) => w === d || w.slice(0, 3) === d);
      if (i < 0) {
        this.add(path, `"${d}" is not a weekday; write monday … sunday${allowDaily ? ', or day' : ''}`, step);
        return undefined;
      }
      out.push(i);
    }
    return out;
  }

  template(text: string, path: Path, step?: string): void {
    const problem = templateProblem(text);
    if (problem) this.add(path, problem, step);
  }

  condition(text: string, path: Path, step?: string): SegmentCondition | undefined {
    const c = parseCondition(text);
    if (typeof c === 'string') {
      this.add(path, c, step);
      return undefined;
    }
    return c;
  }

  filter(event: string, text: string, path: Path, step?: string): SegmentCondition | undefined {
    const c = parseEventFilter(event, text);
    if (typeof c === 'string') {
      this.add(path, c, step);
      return undefined;
    }
    return c;
  }
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
