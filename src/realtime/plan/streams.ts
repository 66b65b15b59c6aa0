import type { Condition, Window } from '../../segments/index.js';
import { windowBounds } from '../../segments/evaluator/time.js';

/**
 * An event stream: the events of one name whose where clause holds, kept per customer for the
 * behaviour conditions that read them. Definitions that read the same event with the same filter
 * share one stream. What a stream keeps is decided by its uses:
 *   - a window (`within 7d`, `between 7d and 14d ago`, `since DATE`): each event while it can still be
 *     inside the window, so counts and sums per window are exact and their end is known;
 *   - every event (null): sequences without a window pair any two events, so nothing may be dropped;
 *   - no raw use at all (`count of "Order Completed" >= 3` ever, `first performed`): a summary suffices.
 * Every stream also keeps, for the events it has dropped, their count, the earliest time and the
 * count, sum, minimum and maximum of each value column: everything an unwindowed condition asks.
 */
export interface StreamDef {
  /** event name and where clause, as JSON: the identity of the stream */
  readonly key: string;
  readonly event: string;
  readonly where?: Condition;
  /** the numeric properties kept per event (aggregates), as paths; column i is props[i] */
  readonly props: readonly (readonly string[])[];
  /** JSON of a path → its column */
  readonly propIndex: ReadonlyMap<string, number>;
  /** windows of the uses that need events themselves; null = every event */
  readonly windows: readonly (Window | null)[];
  /** where the customers' states of this stream live (CustomerRecord.streams[slot]) */
  readonly slot: number;
}

/** What the definitions ask of one stream; gathered while compiling them. */
export interface StreamNeeds {
  readonly key: string;
  readonly event: string;
  readonly where?: Condition;
  readonly props: Map<string, readonly string[]>;
  readonly windows: Map<string, Window | null>;
}

export function streamKey(event: string, where: Condition | undefined): string {
  return JSON.stringify([event, where ?? null]);
}

export function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

/**
 * The earliest event time any raw use of the stream can still need at clock `now`: events before it
 * (and not after now) can be folded into the summary for good, because windows only move forward.
 * -Infinity when some use needs every event; +Infinity when none needs events at all.
 */
export function keepFrom(def: Pick<StreamDef, 'windows'>, now: number): number {
  let from = Infinity;
  for (const w of def.windows) {
    if (w === null) return -Infinity;
    from = Math.min(from, windowBounds(w, now).lower);
  }
  return from;
}

/**
 * The streams for a new set of needs. A stream already loaded is kept (its slot, hence every customer's
 * state of it) when it holds at least what is now needed: the same or more value columns and raw uses;
 * its uses are then narrowed to the new ones, so it keeps no more than needed from here on. Any other
 * stream is new and must be loaded from the events table (`load`).
 */
export function planStreams(
  needs: ReadonlyMap<string, StreamNeeds>,
  previous: ReadonlyMap<string, StreamDef>,
  nextSlot: () => number,
): { streams: Map<string, StreamDef>; load: StreamDef[] } {
  const streams = new Map<string, StreamDef>();
  const load: StreamDef[] = [];
  for (const [key, need] of needs) {
    const old = previous.get(key);
    const windows = [...need.windows.values()];
    if (old && [...need.props.keys()].every((p) => old.propIndex.has(p)) && covers(old.windows, need.windows)) {
      streams.set(key, { ...old, windows });
      continue;
    }
    const props = [...need.props.values()];
    const def: StreamDef = {
      key,
      event: need.event,
      ...(need.where ? { where: need.where } : {}),
      props,
      propIndex: new Map(props.map((p, i) => [pathKey(p), i])),
      windows,
      slot: nextSlot(),
    };
    streams.set(key, def);
    load.push(def);
  }
  return { streams, load };
}

function covers(had: readonly (Window | null)[], want: ReadonlyMap<string, Window | null>): boolean {
  const keys = new Set(had.map((w) => JSON.stringify(w)));
  return [...want.keys()].every((k) => keys.has(k));
}
