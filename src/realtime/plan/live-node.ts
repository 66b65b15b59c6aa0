import type { AggregateFn, CompareOp, Condition, CountOp, Window } from '../../segments/ast/index.js';
import type { StreamDef } from './streams.js';

/**
 * A saved definition as the engine evaluates it: the same tree as the segment AST, with every
 * `in segment` replaced by the definition it names (as the compiler inlines it, so both agree), and
 * every behaviour condition pointing at the event stream that keeps its state. Conditions on the
 * customer's profile (fields, traits, consent) stay as they are and are evaluated by the segment
 * evaluator itself.
 */
export type LiveNode =
  | { readonly kind: 'and' | 'or'; readonly parts: readonly LiveNode[] }
  | { readonly kind: 'not'; readonly part: LiveNode }
  /** An inlined `in segment`: membership is two-valued, so unknown inside counts as false. */
  | { readonly kind: 'member'; readonly part: LiveNode }
  | { readonly kind: 'profile'; readonly cond: Condition }
  | { readonly kind: 'performed'; readonly stream: StreamDef; readonly count: { readonly op: CountOp; readonly n: number }; readonly window?: Window }
  | { readonly kind: 'first'; readonly stream: StreamDef; readonly window: Window }
  | {
      readonly kind: 'aggregate';
      readonly stream: StreamDef;
      readonly fn: AggregateFn;
      /** the property's key in the stream's value columns; absent for count */
      readonly prop?: string;
      readonly window?: Window;
      readonly op: CompareOp;
      readonly value: number;
    }
  | {
      readonly kind: 'sequence';
      readonly first: StreamDef;
      readonly then: StreamDef;
      /** the time limit in ms */
      readonly gap: number;
      readonly negated: boolean;
      readonly window?: Window;
    };

export type LiveKind = LiveNode['kind'];
