export type { Condition, SegmentAst, ConditionKind } from './condition.js';
export { assertNever } from './condition.js';
export type { AndNode, OrNode, NotNode } from './logic.js';
export type { CompareNode, BetweenNode, InListNode, TextMatchNode, PresenceNode } from './comparison.js';
export type {
  PerformedNode,
  FirstPerformedNode,
  AggregateNode,
  AggregateFn,
  SequenceNode,
  EventPattern,
  CountOp,
} from './behaviour.js';
export type { ConsentNode, InSegmentNode } from './profile.js';
export * from './values.js';
export * from './errors.js';
export { segmentAstSchema } from './schema.js';
export { comparedLiteral, comparedPart } from './identifier-traits.js';
export { SEGMENT_LIMITS, conditionStats, durationProblem, joinsProblem, jsonDepth, numberProblem, sizeProblem } from './limits.js';
