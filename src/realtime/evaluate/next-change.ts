import { assertNever } from '../../segments/ast/index.js';
import { changeCandidates, windowEdges } from '../../segments/evaluator/changes.js';
import type { LiveNode } from '../plan/live-node.js';
import { evalLive, profileContext, streamOf, type LiveContext } from './live-evaluate.js';

/** How many candidate instants one look ahead evaluates before it settles for "look again then". */
const LOOKAHEAD = 256;

/**
 * The instant after ctx.now at which to look at this customer and definition again, with no new data:
 * the first instant membership differs from `member`, or (when the definition has many candidate
 * instants) the last one examined, where nothing changes yet. Infinity when nothing can change.
 *
 * Membership can only change at the instants `candidates` lists (as for the evaluator's changes_at:
 * window edges, a sequence's time limit, relative dates and days_since crossing a stored value), and
 * at the time of an event dated in the future, which starts to count when the clock reaches it.
 */
export function nextLook(root: LiveNode, ctx: LiveContext, member: boolean): number {
  const found = candidates(root, ctx);
  if (found.size === 0) return Infinity;
  // One array and one context moved along the instants: this runs for every evaluation of the engine,
  // and the spread, the filtered copy and a context per instant were a measurable part of its JavaScript.
  const sorted: number[] = [];
  for (const t of found) if (t > ctx.now && t <= 8.64e15) sorted.push(t);
  sorted.sort(ascending);
  const n = sorted.length;
  const probe: { rec: LiveContext['rec']; catalog: LiveContext['catalog']; now: number } = { rec: ctx.rec, catalog: ctx.catalog, now: ctx.now };
  for (let i = 0; i < n; i++) {
    const at = sorted[i]!;
    probe.now = at;
    if ((evalLive(root, probe) === true) !== member || i === LOOKAHEAD - 1) return at;
  }
  return Infinity;
}

const ascending = (a: number, b: number): number => a - b;

function candidates(node: LiveNode, ctx: LiveContext, out = new Set<number>()): Set<number> {
  const from = ctx.now + 1;
  const future = (ts: readonly number[]): void => {
    for (let k = ts.length - 1; k >= 0 && ts[k]! > ctx.now; k--) out.add(ts[k]!);
  };
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const p of node.parts) candidates(p, ctx, out);
      return out;
    case 'not':
    case 'member':
      return candidates(node.part, ctx, out);
    case 'profile':
      for (const t of changeCandidates(node.cond, profileContext(ctx))) out.add(t);
      return out;
    case 'performed':
    case 'aggregate': {
      const s = streamOf(ctx.rec, node.stream);
      future(s.t);
      if (node.window) for (const t of s.t) windowEdges(node.window, t, from, out);
      return out;
    }
    case 'first': {
      const s = streamOf(ctx.rec, node.stream);
      // Only the first event matters, and it stays first: the earliest held or folded one.
      const first = Math.min(s.first, s.t[0] ?? Infinity);
      if (first === Infinity) return out;
      if (first > ctx.now) out.add(first);
      windowEdges(node.window, first, from, out);
      return out;
    }
    case 'sequence': {
      const firsts = streamOf(ctx.rec, node.first);
      future(firsts.t);
      future(streamOf(ctx.rec, node.then).t);
      for (const t of firsts.t) {
        windowEdges(node.window, t, from, out);
        out.add(t + node.gap);
      }
      return out;
    }
    default:
      return assertNever(node);
  }
}
