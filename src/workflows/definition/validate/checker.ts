import type { z } from 'zod';
import { parseTimeOfDay, type TimeOfDay } from '../../../domain/time-zone.js';
import type { Duration } from '../../../segments/ast/values.js';
import { templateProblem } from '../../channels/email/template.js';
import { parseCondition, parseEventFilter } from '../conditions.js';
import { parseDuration } from '../duration.js';
import type { SegmentCondition } from '../types.js';

/** One problem of a definition: where (a path into the document), which step, what. */
export interface DefinitionIssue {
  readonly path: readonly (string | number)[];
  /** the id of the step the problem is in, when it is in one */
  readonly step?: string;
  readonly message: string;
}

export type Path = readonly (string | number)[];
export type Raw = Record<string, unknown>;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * What the readers of a definition (document.ts, trigger.ts, steps.ts, actions.ts) share: the problems
 * found so far, the step ids seen, the trigger's key, and the readers of the leaves of a definition
 * (durations, times of day, weekdays, templates, conditions in the segment language). Each reader
 * reports its problems here with their path and step, and returns undefined for a part it refused.
 */
export class Checker {
  readonly issues: DefinitionIssue[] = [];
  /** step ids seen so far: each must be unique in the workflow */
  readonly ids = new Set<string>();
  /** the trigger's key (an event property), the default key of a wait for an event */
  triggerKey: string | undefined;

  /** Records a problem at `path` (in step `step`). */
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

  /** A duration (`1h`, `3d`: duration.ts), or undefined with the problem recorded. */
  duration(text: string, path: Path, step?: string): Duration | undefined {
    return this.parsed(parseDuration, text, path, step);
  }

  /** A time of day (`09:00`), or undefined with the problem recorded. */
  time(text: string, path: Path, step?: string): TimeOfDay | undefined {
    return this.parsed(parseTimeOfDay, text, path, step);
  }

  /** `parse(text)`, or undefined with the message of what it threw recorded as the problem at `path`. */
  private parsed<T>(parse: (text: string) => T, text: string, path: Path, step?: string): T | undefined {
    try {
      return parse(text);
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

  /** Records the problem of an email or trait template that does not parse. */
  template(text: string, path: Path, step?: string): void {
    const problem = templateProblem(text);
    if (problem) this.add(path, problem, step);
  }

  /** A condition in the segment language (`goal`, a branch's `if`), or undefined with the problem recorded. */
  condition(text: string, path: Path, step?: string): SegmentCondition | undefined {
    const c = parseCondition(text);
    if (typeof c === 'string') {
      this.add(path, c, step);
      return undefined;
    }
    return c;
  }

  /** A `where` filter on the properties of `event`, or undefined with the problem recorded. */
  filter(event: string, text: string, path: Path, step?: string): SegmentCondition | undefined {
    const c = parseEventFilter(event, text);
    if (typeof c === 'string') {
      this.add(path, c, step);
      return undefined;
    }
    return c;
  }
}
