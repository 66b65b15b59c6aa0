import { z } from 'zod';
import type { Condition } from './condition.js';
import { durationProblem, numberProblem, SEGMENT_LIMITS } from './limits.js';
import { compareOps, durationUnits } from './values.js';

/**
 * Validation of the JSON form of a segment (what the API accepts and the segments table stores). The
 * schema checks shape only; which fields exist and what types they compare with is the checker's job
 * (catalog-dependent), see ../catalog/check.ts.
 */

const name = z.string().min(1);
const path = z.array(z.string().min(1)).min(1);

export const durationSchema = z
  .strictObject({
    amount: z.number().int().refine((n) => !Object.is(n, -0), 'use 0, not -0'),
    unit: z.enum(durationUnits),
  })
  .superRefine((d, ctx) => {
    const problem = durationProblem(d);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const positiveDuration = durationSchema.refine((d) => d.amount > 0, 'a duration must be positive');

// The canonical text of an instant: exactly what Date#toISOString prints, four-digit years.
const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'dates are ISO 8601 UTC, e.g. 2024-01-31T00:00:00.000Z')
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString() === s, 'not a valid date');

const number = z.number().superRefine((n, ctx) => {
  const problem = numberProblem(n) ?? (Object.is(n, -0) ? 'use 0, not -0' : undefined);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const literal = z.union([
  number,
  z.string(),
  z.boolean(),
  z.strictObject({ date: isoInstant }),
  z.strictObject({ relative: durationSchema }),
]);

const operand = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('field'), name }),
  z.strictObject({ kind: z.literal('trait'), path }),
  z.strictObject({ kind: z.literal('property'), path }),
]);

const windowSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('within'), duration: positiveDuration }),
  z.strictObject({ kind: z.literal('ago'), from: durationSchema.refine((d) => d.amount >= 0), to: positiveDuration }),
  z.strictObject({ kind: z.literal('since'), date: isoInstant }),
]);

const compareOp = z.enum(compareOps);

export const segmentAstSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('and'), conditions: z.array(segmentAstSchema).min(2) }),
    z.strictObject({ kind: z.literal('or'), conditions: z.array(segmentAstSchema).min(2) }),
    z.strictObject({ kind: z.literal('not'), condition: segmentAstSchema }),
    z.strictObject({ kind: z.literal('compare'), target: operand, op: compareOp, value: literal }),
    z.strictObject({ kind: z.literal('between'), target: operand, low: literal, high: literal }),
    z.strictObject({ kind: z.literal('in'), target: operand, values: z.array(literal).min(1).max(SEGMENT_LIMITS.listValues), negated: z.boolean() }),
    z.strictObject({ kind: z.literal('text'), target: operand, op: z.enum(['contains', 'starts_with']), value: z.string() }),
    z.strictObject({ kind: z.literal('presence'), target: operand, present: z.boolean() }),
    z.strictObject({
      kind: z.literal('performed'),
      event: name,
      where: segmentAstSchema.optional(),
      count: z
        .strictObject({ op: z.enum(['at_least', 'at_most', 'exactly']), n: z.number().int().min(0).max(SEGMENT_LIMITS.count) })
        .optional(),
      window: windowSchema.optional(),
    }),
    z.strictObject({
      kind: z.literal('first_performed'),
      event: name,
      where: segmentAstSchema.optional(),
      window: windowSchema,
    }),
    z.strictObject({
      kind: z.literal('aggregate'),
      fn: z.enum(['count', 'sum', 'avg', 'min', 'max']),
      property: path.optional(),
      event: name,
      where: segmentAstSchema.optional(),
      window: windowSchema.optional(),
      op: compareOp,
      value: number,
    }),
    z.strictObject({
      kind: z.literal('sequence'),
      first: z.strictObject({ event: name, where: segmentAstSchema.optional() }),
      then: z.strictObject({ event: name, where: segmentAstSchema.optional() }),
      negated: z.boolean(),
      gap: positiveDuration,
      window: windowSchema.optional(),
    }),
    z.strictObject({ kind: z.literal('consent'), channel: name, op: z.enum(['=', '!=']), status: name }),
    z.strictObject({ kind: z.literal('in_segment'), segment: name }),
  ]),
);
