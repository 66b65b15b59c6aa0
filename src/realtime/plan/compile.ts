import {
  assertNever,
  SegmentError,
  type AndNode,
  type Condition,
  type InSegmentNode,
  type NotNode,
  type Operand,
  type OrNode,
  type SegmentAst,
  type Window,
} from '../../segments/ast/index.js';
import type { Catalog } from '../../segments/catalog/catalog.js';
import { checkSegment } from '../../segments/catalog/check.js';
import { gapMs } from '../../segments/evaluator/behaviour.js';
import type { LiveNode } from './live-node.js';
import { pathKey, planStreams, streamKey, type StreamDef, type StreamNeeds } from './streams.js';

/** What a definition reads of a customer: a change elsewhere cannot change its membership. */
export interface ReadSet {
  /** names of the events its behaviour conditions count */
  readonly events: ReadonlySet<string>;
  /** trait paths, as JSON (pathKey) → path */
  readonly traits: ReadonlyMap<string, readonly string[]>;
  /** catalog columns, as `table.column` */
  readonly fields: ReadonlySet<string>;
  /** consent channels */
  readonly consent: ReadonlySet<string>;
}

/** A definition with every `in segment` replaced by the definition it names. */
type Inlined =
  | Exclude<Condition, AndNode | OrNode | NotNode | InSegmentNode>
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly Inlined[] }
  | { readonly kind: 'not'; readonly condition: Inlined }
  | { readonly kind: 'member'; readonly segment: string; readonly target: Inlined };

/** A saved segment as the engine keeps it live. */
export interface LivePlan {
  readonly segmentId: string;
  readonly name: string;
  readonly root: LiveNode;
  readonly reads: ReadSet;
  readonly streams: readonly StreamDef[];
  /**
   * the raw uses (windows; null = every event) this definition alone makes of each stream, by stream key:
   * a shared stream's own `windows` are the union over every definition, so a plan's cost is judged on these
   */
  readonly ownWindows: ReadonlyMap<string, readonly (Window | null)[]>;
  /** the definition with every `in segment` inlined, as JSON: when it changes, membership is recomputed */
  readonly definitionKey: string;
}

export interface SavedDefinition {
  readonly segmentId: string;
  readonly name: string;
  readonly ast: SegmentAst;
}

export interface CompiledPlans {
  readonly plans: LivePlan[];
  /** segments whose definition cannot be compiled (e.g. a field no longer registered), with why */
  readonly failed: { segmentId: string; name: string; reason: string }[];
  readonly streams: Map<string, StreamDef>;
  /** streams that are new and must be loaded from the events table */
  readonly load: StreamDef[];
}

/**
 * Turns saved definitions into live plans over shared event streams. `in segment` is inlined, as the
 * compiler does, so a segment and the segments that refer to it are each exact on their own.
 */
export function compilePlans(
  saved: readonly SavedDefinition[],
  resolve: (name: string) => SegmentAst | undefined,
  catalog: Catalog,
  previous: ReadonlyMap<string, StreamDef>,
  nextSlot: () => number,
): CompiledPlans {
  const needs = new Map<string, StreamNeeds>();
  const inlined: { def: SavedDefinition; ast: Inlined; own: Map<string, StreamNeeds> }[] = [];
  const failed: CompiledPlans['failed'] = [];
  for (const def of saved) {
    try {
      const ast = inline(def.ast, resolve, catalog, [def.name]);
      const own = new Map<string, StreamNeeds>();
      collectNeeds(ast, own);
      for (const n of own.values()) mergeNeeds(needs, n);
      inlined.push({ def, ast, own });
    } catch (e) {
      if (!(e instanceof SegmentError)) throw e;
      failed.push({ segmentId: def.segmentId, name: def.name, reason: e.message });
    }
  }
  const { streams, load } = planStreams(needs, previous, nextSlot);
  const plans = inlined.map(({ def, ast, own }) => {
    const reads: MutableReads = { events: new Set(), traits: new Map(), fields: new Set(), consent: new Set() };
    const used = new Map<string, StreamDef>();
    const root = build(ast, streams, catalog, reads, used);
    const ownWindows = new Map([...own].map(([key, n]) => [key, [...n.windows.values()]]));
    return { segmentId: def.segmentId, name: def.name, root, reads, streams: [...used.values()], ownWindows, definitionKey: JSON.stringify(ast) };
  });
  return { plans, failed, streams, load };
}

/** The definition with `in segment "x"` replaced by x's definition (checked as the evaluator checks it). */
function inline(ast: Condition, resolve: (name: string) => SegmentAst | undefined, catalog: Catalog, stack: readonly string[]): Inlined {
  const problem = checkSegment(ast, { catalog }).find((d) => d.severity === 'error');
  if (problem) throw new SegmentError('invalid_segment', `Segment "${stack[stack.length - 1]}": ${problem.message}`);
  const walk = (c: Condition): Inlined => {
    switch (c.kind) {
      case 'and':
      case 'or':
        return { kind: c.kind, conditions: c.conditions.map(walk) };
      case 'not':
        return { kind: 'not', condition: walk(c.condition) };
      case 'in_segment': {
        if (stack.includes(c.segment)) {
          throw new SegmentError('segment_cycle', `Segments refer to each other in a cycle: ${[...stack, c.segment].join(' → ')}.`);
        }
        const target = resolve(c.segment);
        if (!target) throw new SegmentError('unknown_segment', `in segment "${c.segment}": there is no segment named "${c.segment}".`);
        return { kind: 'member', segment: c.segment, target: inline(target, resolve, catalog, [...stack, c.segment]) };
      }
      default:
        return c;
    }
  };
  return walk(ast);
}

function need(needs: Map<string, StreamNeeds>, event: string, where: Condition | undefined): StreamNeeds {
  const key = streamKey(event, where);
  let n = needs.get(key);
  if (!n) {
    n = { key, event, ...(where ? { where } : {}), props: new Map(), windows: new Map() };
    needs.set(key, n);
  }
  return n;
}

/** Adds one definition's needs of a stream to those of all definitions (value columns and raw uses, each once). */
function mergeNeeds(needs: Map<string, StreamNeeds>, own: StreamNeeds): void {
  const n = need(needs, own.event, own.where);
  for (const [k, p] of own.props) n.props.set(k, p);
  for (const [k, w] of own.windows) n.windows.set(k, w);
}

function collectNeeds(c: Inlined, needs: Map<string, StreamNeeds>): void {
  const raw = (n: StreamNeeds, w: Window | null): void => void n.windows.set(JSON.stringify(w), w);
  switch (c.kind) {
    case 'and':
    case 'or':
      c.conditions.forEach((x) => collectNeeds(x, needs));
      return;
    case 'not':
      collectNeeds(c.condition, needs);
      return;
    case 'member':
      collectNeeds(c.target, needs);
      return;
    case 'performed':
    case 'aggregate': {
      const n = need(needs, c.event, c.where);
      if (c.kind === 'aggregate' && c.property) n.props.set(pathKey(c.property), c.property);
      // unwindowed counts and sums are answered by the summary; windowed ones need the events
      if (c.window) raw(n, c.window);
      return;
    }
    case 'first_performed':
      // the earliest event is in the summary once folded, and stays the earliest
      need(needs, c.event, c.where);
      return;
    case 'sequence': {
      const w = c.window ?? null;
      raw(need(needs, c.first.event, c.first.where), w);
      raw(need(needs, c.then.event, c.then.where), w);
      return;
    }
    case 'compare':
    case 'between':
    case 'in':
    case 'text':
    case 'presence':
    case 'consent':
      return;
    default:
      assertNever(c);
  }
}

interface MutableReads {
  events: Set<string>;
  traits: Map<string, readonly string[]>;
  fields: Set<string>;
  consent: Set<string>;
}

function readOperand(o: Operand, catalog: Catalog, reads: MutableReads): void {
  if (o.kind === 'trait') reads.traits.set(pathKey(o.path), o.path);
  else if (o.kind === 'field') {
    const def = catalog.get(o.name)!;
    reads.fields.add(`${def.table}.${def.column}`);
  }
}

function build(c: Inlined, streams: ReadonlyMap<string, StreamDef>, catalog: Catalog, reads: MutableReads, used: Map<string, StreamDef>): LiveNode {
  const stream = (event: string, where: Condition | undefined): StreamDef => {
    const def = streams.get(streamKey(event, where))!;
    used.set(def.key, def);
    reads.events.add(event);
    return def;
  };
  switch (c.kind) {
    case 'and':
    case 'or':
      return { kind: c.kind, parts: c.conditions.map((x) => build(x, streams, catalog, reads, used)) };
    case 'not':
      return { kind: 'not', part: build(c.condition, streams, catalog, reads, used) };
    case 'member':
      return { kind: 'member', part: build(c.target, streams, catalog, reads, used) };
    case 'compare':
    case 'between':
    case 'in':
    case 'text':
    case 'presence':
      readOperand(c.target, catalog, reads);
      return { kind: 'profile', cond: c };
    case 'consent':
      reads.consent.add(c.channel);
      return { kind: 'profile', cond: c };
    case 'performed':
      return {
        kind: 'performed',
        stream: stream(c.event, c.where),
        count: c.count ?? { op: 'at_least', n: 1 },
        ...(c.window ? { window: c.window } : {}),
      };
    case 'first_performed':
      return { kind: 'first', stream: stream(c.event, c.where), window: c.window };
    case 'aggregate':
      return {
        kind: 'aggregate',
        stream: stream(c.event, c.where),
        fn: c.fn,
        ...(c.property ? { prop: pathKey(c.property) } : {}),
        ...(c.window ? { window: c.window } : {}),
        op: c.op,
        value: c.value,
      };
    case 'sequence':
      return {
        kind: 'sequence',
        first: stream(c.first.event, c.first.where),
        then: stream(c.then.event, c.then.where),
        gap: gapMs(c),
        negated: c.negated,
        ...(c.window ? { window: c.window } : {}),
      };
    default:
      return assertNever(c);
  }
}
