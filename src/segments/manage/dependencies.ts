import { SegmintError } from '../../domain/errors.js';

export { referencedSegments } from '../index.js';

/**
 * Orders segments so that every segment comes after the segments it refers to (Kahn's algorithm,
 * ties by name so the order is stable). A cycle is a user error naming the segments in it.
 */
export function dependencyOrder(deps: ReadonlyMap<string, readonly string[]>): string[] {
  const remaining = new Map<string, Set<string>>();
  for (const [name, refs] of deps) remaining.set(name, new Set(refs.filter((r) => deps.has(r))));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, refs]) => refs.size === 0).map(([n]) => n).sort();
    if (ready.length === 0) {
      const cycle = findCycle(remaining);
      throw new SegmintError(
        'segment_cycle',
        `Segments refer to each other in a circle: ${cycle.map((n) => `"${n}"`).join(' → ')}. ` +
          'Change one of these definitions so that the circle is broken.',
        { cycle },
      );
    }
    for (const name of ready) {
      order.push(name);
      remaining.delete(name);
      for (const refs of remaining.values()) refs.delete(name);
    }
  }
  return order;
}

function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const start = [...graph.keys()].sort()[0]!;
  const path: string[] = [];
  const seenAt = new Map<string, number>();
  let at: string = start;
  // Every node left has an outgoing edge, so walking always reaches a node already on the path.
  while (!seenAt.has(at)) {
    seenAt.set(at, path.length);
    path.push(at);
    at = [...graph.get(at)!].sort()[0]!;
  }
  return [...path.slice(seenAt.get(at)), at];
}

/** Every segment that refers (directly or through others) to `name`, for refusing unsafe deletes. */
export function dependentsOf(name: string, deps: ReadonlyMap<string, readonly string[]>): string[] {
  const out = new Set<string>();
  const queue = [name];
  while (queue.length > 0) {
    const target = queue.shift()!;
    for (const [seg, refs] of deps) {
      if (refs.includes(target) && !out.has(seg) && seg !== name) {
        out.add(seg);
        queue.push(seg);
      }
    }
  }
  return [...out].sort();
}
