import type { TimeOfDay } from '../../domain/time-zone.js';
import type { Duration } from '../../segments/ast/values.js';
import type { Condition } from '../../segments/ast/index.js';

/**
 * A workflow definition after validation (docs/workflows.md is the reference). Conditions keep the
 * text the user wrote beside the parsed AST, so a stored definition reads back as written.
 */
export interface WorkflowDefinition {
  readonly description?: string;
  readonly trigger: Trigger;
  readonly reentry: Reentry;
  /** Ends a run as converted whenever it holds (behaviour counted from the run's entry on). */
  readonly goal?: SegmentCondition;
  /** Share of entrants (0 ≤ h < 1) held out: they get no email and no webhook, to measure lift. */
  readonly holdout: number;
  readonly steps: readonly Step[];
}

/** A condition in the segment language: the text and its AST. */
export interface SegmentCondition {
  readonly text: string;
  readonly ast: Condition;
}

export type Trigger = SegmentTrigger | EventTrigger | DateTrigger | ScheduleTrigger;

/** A customer enters or exits a segment. */
export interface SegmentTrigger {
  readonly kind: 'segment';
  readonly change: 'entered' | 'exited';
  readonly segment: string;
}

/** A tracked event, optionally filtered on its properties, optionally one run per value of `key`. */
export interface EventTrigger {
  readonly kind: 'event';
  readonly event: string;
  readonly where?: SegmentCondition;
  /** property path whose value keys the run (`checkout_id`), as written with dots */
  readonly key?: string;
}

/**
 * A date: each year on the date a trait holds (a birthday), or N days after a customer's first event of
 * a kind (the first order), at a time of day in the workspace time zone.
 */
export interface DateTrigger {
  readonly kind: 'date';
  readonly source: { readonly trait: string; readonly yearly: boolean } | { readonly firstEvent: string };
  /** days after the date (negative: before) */
  readonly days: number;
  readonly at: TimeOfDay;
}

/** Every member of a segment, on a schedule (`every: monday`, `at: "09:00"`). */
export interface ScheduleTrigger {
  readonly kind: 'schedule';
  readonly segment: string;
  /** 0 = Sunday … 6 = Saturday; null = every day */
  readonly weekdays: readonly number[] | null;
  readonly at: TimeOfDay;
}

export type Reentry = { readonly kind: 'once' } | { readonly kind: 'every_time' } | { readonly kind: 'once_per'; readonly period: Duration };

export type Step =
  | WaitStep
  | WaitUntilStep
  | WaitEventStep
  | BranchStep
  | SplitStep
  | EmailStep
  | WebhookStep
  | SetTraitStep
  | TagStep
  | ListStep
  | ExitStep;

interface StepBase {
  /** unique within the workflow: the user's, or the step's place (`2`, `3.then.1`) */
  readonly id: string;
}

export interface WaitStep extends StepBase {
  readonly kind: 'wait';
  readonly duration: Duration;
}

/** Until the next time of day (optionally on given weekdays) in the workspace time zone. */
export interface WaitUntilStep extends StepBase {
  readonly kind: 'wait_until';
  readonly at: TimeOfDay;
  readonly weekdays: readonly number[] | null;
}

/** Until an event (matched on the run's key) or a timeout, with the steps for each outcome. */
export interface WaitEventStep extends StepBase {
  readonly kind: 'wait_event';
  readonly event: string;
  /** property of the awaited event compared with the run's key; absent: not matched on a key */
  readonly key?: string;
  readonly where?: SegmentCondition;
  readonly timeout: Duration;
  readonly onEvent: readonly Step[];
  readonly onTimeout: readonly Step[];
}

export interface BranchStep extends StepBase {
  readonly kind: 'branch';
  readonly condition: SegmentCondition;
  readonly then: readonly Step[];
  readonly else: readonly Step[];
}

export interface SplitStep extends StepBase {
  readonly kind: 'split';
  readonly variants: readonly { readonly name: string; readonly weight: number; readonly steps: readonly Step[] }[];
}

export interface EmailStep extends StepBase {
  readonly kind: 'email';
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  readonly from?: string;
  readonly replyTo?: string;
  /** transactional emails skip consent, the frequency cap and quiet hours (and carry no unsubscribe link requirement) */
  readonly transactional: boolean;
}

export interface WebhookStep extends StepBase {
  readonly kind: 'webhook';
  readonly url: string;
  readonly secret?: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SetTraitStep extends StepBase {
  readonly kind: 'set_trait';
  /** trait → value; string values are templates */
  readonly traits: Readonly<Record<string, unknown>>;
}

export interface TagStep extends StepBase {
  readonly kind: 'tag';
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export interface ListStep extends StepBase {
  readonly kind: 'list';
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export interface ExitStep extends StepBase {
  readonly kind: 'exit';
  readonly reason: string;
}

export const STEP_KINDS = ['wait', 'branch', 'split', 'email', 'webhook', 'set_trait', 'tag', 'list', 'exit'] as const;
