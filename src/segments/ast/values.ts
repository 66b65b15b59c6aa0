/**
 * The leaves of the segment AST: what a condition compares (a catalog field, a trait, an event
 * property) and with what (a literal, an absolute date, a date relative to as_of).
 */

/** Calendar units (m = months, y = years) move the calendar; the others are fixed lengths. */
export const durationUnits = ['s', 'min', 'h', 'd', 'w', 'm', 'y'] as const;
export type DurationUnit = (typeof durationUnits)[number];

/** A length of time: `7d`, `1h`, `12m`. amount is an integer (signed for relative dates). */
export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
}

/** A catalog field (metric, or one registered by analytics/predictions): `total_spent`, `rfm.group`. */
export interface FieldRef {
  readonly kind: 'field';
  readonly name: string;
}

/** A path into the customer's traits JSON (`traits.address.city` → ['address', 'city']). */
export interface TraitRef {
  readonly kind: 'trait';
  readonly path: readonly string[];
}

/** A path into an event's properties JSON; only inside `where` of a behaviour condition. */
export interface PropertyRef {
  readonly kind: 'property';
  readonly path: readonly string[];
}

export type Operand = FieldRef | TraitRef | PropertyRef;

/** An absolute instant, kept as the canonical ISO text of a UTC Date (`Date#toISOString`). */
export interface DateLiteral {
  readonly date: string;
}

/** An instant relative to the evaluation's as_of: `-90d` is 90 days before as_of. */
export interface RelativeLiteral {
  readonly relative: Duration;
}

export type Literal = number | string | boolean | DateLiteral | RelativeLiteral;

export const compareOps = ['=', '!=', '<', '<=', '>', '>='] as const;
export type CompareOp = (typeof compareOps)[number];

/**
 * Which events of a behaviour condition count, by time. `within D`: (as_of − D, as_of];
 * `between D1 and D2 ago`: (as_of − max, as_of − min]; `since DATE`: [DATE, as_of].
 */
export type Window =
  | { readonly kind: 'within'; readonly duration: Duration }
  | { readonly kind: 'ago'; readonly from: Duration; readonly to: Duration }
  | { readonly kind: 'since'; readonly date: string };

export function isDateLiteral(v: Literal): v is DateLiteral {
  return typeof v === 'object' && 'date' in v;
}

export function isRelativeLiteral(v: Literal): v is RelativeLiteral {
  return typeof v === 'object' && 'relative' in v;
}

/** The type a literal compares as; dates and relative dates are both instants. */
export type LiteralType = 'number' | 'string' | 'boolean' | 'timestamp';

export function literalType(v: Literal): LiteralType {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  return 'timestamp';
}
