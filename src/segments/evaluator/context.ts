import type { Condition, SegmentAst } from '../ast/index.js';
import { SegmentError, throwIfErrors } from '../ast/index.js';
import type { Catalog } from '../catalog/catalog.js';
import { checkSegment } from '../catalog/check.js';
import type { CustomerEvent, CustomerState } from './state.js';

/** One evaluation: the customer, the clock, and the events it may see. */
export interface EvalContext {
  readonly state: CustomerState;
  readonly catalog: Catalog;
  /** The clock conditions are evaluated at (as_of, or a later candidate instant for changes_at). */
  readonly now: number;
  /** Events at or before as_of, oldest first; later ones are ignored everywhere. */
  readonly events: readonly CustomerEvent[];
  readonly resolveSegment?: (name: string) => SegmentAst | undefined;
  /** Segments being evaluated, outermost first, to refuse cycles. */
  readonly stack: readonly string[];
  readonly explain: boolean;
  /** The event a where clause is looking at. */
  readonly properties?: unknown;
  /**
   * Events matching each behaviour pattern (name and where), shared by the evaluations of one call:
   * where clauses cannot depend on the clock, so changes_at re-evaluates without re-reading JSON.
   */
  readonly matches?: Map<object, CustomerEvent[]>;
}

/** The definition `in segment name` refers to; refuses cycles and unknown names with a clear error. */
export function resolveMembership(
  name: string,
  ctx: Pick<EvalContext, 'resolveSegment' | 'stack' | 'catalog'>,
): { ast: Condition } | { known: boolean } {
  if (ctx.stack.includes(name)) {
    const cycle = [...ctx.stack.slice(ctx.stack.indexOf(name)), name].join(' → ');
    throw new SegmentError('segment_cycle', `Segments refer to each other in a cycle: ${cycle}.`, undefined, { cycle });
  }
  if (!ctx.resolveSegment) return { known: false };
  const ast = ctx.resolveSegment(name);
  if (!ast) throw new SegmentError('unknown_segment', `in segment "${name}": there is no segment named "${name}".`, undefined, { segment: name });
  throwIfErrors(checkSegment(ast, { catalog: ctx.catalog }), `Segment "${name}" (used with in segment)`);
  return { ast };
}
