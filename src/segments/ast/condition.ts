import type { AggregateNode, FirstPerformedNode, PerformedNode, SequenceNode } from './behaviour.js';
import type { BetweenNode, CompareNode, InListNode, PresenceNode, TextMatchNode } from './comparison.js';
import type { AndNode, NotNode, OrNode } from './logic.js';
import type { ConsentNode, InSegmentNode } from './profile.js';

/**
 * Every node of a segment definition. The compiler, the evaluator, the unparser and the checker are
 * each one exhaustive switch over this union.
 */
export type Condition =
  | AndNode
  | OrNode
  | NotNode
  | CompareNode
  | BetweenNode
  | InListNode
  | TextMatchNode
  | PresenceNode
  | PerformedNode
  | FirstPerformedNode
  | AggregateNode
  | SequenceNode
  | ConsentNode
  | InSegmentNode;

/** A segment definition is one condition. */
export type SegmentAst = Condition;

export type ConditionKind = Condition['kind'];

/** For `default:` branches of exhaustive switches: a new node kind fails to compile until handled. */
export function assertNever(x: never): never {
  throw new Error(`unhandled segment node ${JSON.stringify(x)}`);
}
