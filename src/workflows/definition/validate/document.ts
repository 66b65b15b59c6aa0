import { z } from 'zod';
import type { Reentry, WorkflowDefinition } from '../types.js';
import type { Checker, Path, Raw } from './checker.js';
import { readSteps } from './steps.js';
import { readTrigger } from './trigger.js';

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

/** The whole document: its shape, then each part, so one run names as many problems as possible. */
export function readDocument(c: Checker, raw: unknown): WorkflowDefinition | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    c.add([], 'a workflow definition is an object with trigger and steps');
    return undefined;
  }
  const doc = c.shape(documentShape, raw, []);
  if (!doc) {
    // Still look at the parts that are there, so one run names as many problems as possible.
    const r = raw as Raw;
    if (r.trigger && typeof r.trigger === 'object') readTrigger(c, r.trigger as Raw, ['trigger']);
    if (Array.isArray(r.steps)) readSteps(c, r.steps, ['steps']);
    return undefined;
  }
  const trigger = readTrigger(c, doc.trigger, ['trigger']);
  const reentry = readReentry(c, doc.reentry, ['reentry']);
  const goal = doc.goal === undefined ? undefined : c.condition(doc.goal, ['goal']);
  const holdout = readHoldout(c, doc.holdout, ['holdout']);
  const steps = readSteps(c, doc.steps, ['steps']);
  if (!trigger || !reentry || holdout === undefined || (doc.goal !== undefined && !goal) || c.issues.length > 0) return undefined;
  return {
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    trigger,
    reentry,
    ...(goal ? { goal } : {}),
    holdout,
    steps,
  };
}

/** `reentry`: once, every_time (the default) or once_per a duration. */
export function readReentry(c: Checker, r: 'once' | 'every_time' | { once_per: string } | undefined, path: Path): Reentry | undefined {
  if (r === undefined || r === 'every_time') return { kind: 'every_time' };
  if (r === 'once') return { kind: 'once' };
  const period = c.duration(r.once_per, [...path, 'once_per']);
  return period ? { kind: 'once_per', period } : undefined;
}

/** `holdout`: a share from 0 to below 1, written 0.1 or 10% (0 when absent). */
export function readHoldout(c: Checker, h: number | string | undefined, path: Path): number | undefined {
  if (h === undefined) return 0;
  const pct = typeof h === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(h) : null;
  const value = typeof h === 'number' ? h : pct ? Number(pct[1]) / 100 : NaN;
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    c.add(path, `${JSON.stringify(h)} is not a share; write e.g. 10% or 0.1 (at least 0, below 100%)`);
    return undefined;
  }
  return value;
}
