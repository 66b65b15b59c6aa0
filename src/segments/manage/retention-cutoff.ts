import type { Queryable } from '../../store/db.js';
import { deletedBefore, type RetentionDeletion } from '../../store/queries/privacy/retention.js';
import { childConditions } from '../ast/children.js';
import type { Condition, SegmentAst } from '../index.js';
import { windowBounds } from '../evaluator/time.js';
import { unparse } from '../syntax/unparse.js';
import { joinWords } from '../../domain/words.js';
import { formatMoment } from '../../analytics/asOf.js';
import { RETENTION_SETTING } from '../../privacy/retention.js';

/**
 * A definition's behaviour conditions read, at this as-of, events from before the moment retention
 * deleted everything earlier than: they cannot see those events, so they may answer 0 or less than
 * they would have (trial 13, L5).
 */
export interface RetentionCutoffWarning {
  readonly code: 'retention_cutoff';
  readonly message: string;
  /** the behaviour conditions that reach before the cutoff, in the language's text */
  readonly conditions: readonly string[];
  readonly setting: typeof RETENTION_SETTING;
  /** the retention.events_days in force when the events were deleted */
  readonly days: number;
  /** ISO time (UTC) before which every event was deleted */
  readonly deletedBefore: string;
}

/** A condition quoted in a warning: its text, cut at 120 characters (a where clause can be long). */
const quoted = (c: Condition): string => {
  const text = unparse(c);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
};

/**
 * The behaviour conditions of `ast` (performed, first performed, aggregates, sequences; `in segment`
 * references are not followed) that read, at `asOf`, events from before `cutoff` (ms): those whose
 * window's lower edge lies before it, every one without a window, and every `first performed`, which
 * must see all earlier events to know that one is the first.
 */
export function conditionsBefore(ast: SegmentAst, asOf: number, cutoff: number): Condition[] {
  const out: Condition[] = [];
  const walk = (c: Condition): void => {
    if (c.kind === 'performed' || c.kind === 'aggregate' || c.kind === 'sequence' || c.kind === 'first_performed') {
      const b = windowBounds(c.kind === 'first_performed' ? undefined : c.window, asOf);
      // Events at t < cutoff are gone; the window holds t > lower (t >= lower when inclusive).
      if (b.lowerInclusive ? b.lower < cutoff : b.lower + 1 < cutoff) out.push(c);
    }
    for (const child of childConditions(c)) walk(child);
  };
  walk(ast);
  return out;
}

/**
 * The warning for a definition evaluated at `asOf` after retention deleted the events before
 * `deletion.cutoff`, or none when no behaviour condition reaches that far back. The cutoff is told in
 * UTC to the second (retention counts days back from the moment it ran); the as-of as reports print it
 * in the workspace zone `tz`.
 */
export function retentionWarningFor(ast: SegmentAst, asOf: Date, deletion: RetentionDeletion, tz = 'UTC'): RetentionCutoffWarning[] {
  const reaching = [...new Set(conditionsBefore(ast, asOf.getTime(), deletion.cutoff.getTime()).map(quoted))];
  if (reaching.length === 0) return [];
  const iso = deletion.cutoff.toISOString();
  const before = `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  const one = reaching.length === 1;
  return [
    {
      code: 'retention_cutoff',
      message:
        `${joinWords(reaching)} ${one ? 'reads' : 'read'} events from before ${before} at this as-of (${formatMoment(asOf, tz)}), but retention deleted ` +
        `every event before then (${RETENTION_SETTING} ${deletion.days}): ${one ? 'this condition cannot' : 'these conditions cannot'} see them.`,
      conditions: reaching,
      setting: RETENTION_SETTING,
      days: deletion.days,
      deletedBefore: iso,
    },
  ];
}

/** Whether a definition has a behaviour condition at all (only then is the retention record read). */
function readsEvents(c: Condition): boolean {
  return c.kind === 'performed' || c.kind === 'aggregate' || c.kind === 'sequence' || c.kind === 'first_performed' || childConditions(c).some(readsEvents);
}

/**
 * The deletion retention recorded in `db` (deletedBefore) when `ast` reads events, for
 * retentionWarningFor; undefined when retention never deleted an event or the definition reads none
 * (then no query is made: a preview runs on every keystroke).
 */
export async function deletionSeenBy(db: Queryable, ast: SegmentAst): Promise<RetentionDeletion | undefined> {
  return readsEvents(ast) ? deletedBefore(db) : undefined;
}
