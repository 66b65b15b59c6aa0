import { padEndDisplay, padStartDisplay } from '../../domain/display-width.js';
import { alignColumns } from '../../analytics/format/table.js';
import type { Segment } from './crud.js';
import { countOf, grouped } from '../../domain/words.js';
import type { SegmentHistory, SegmentMembers } from './history.js';
import type { Preview } from './preview.js';
import type { RefreshResult } from './refresh.js';

/** Human text for the CLI; --json prints the objects themselves. */

const iso = (d: Date | null | undefined): string => (d ? d.toISOString().replace('.000Z', 'Z') : '—');
const pct = (x: number): string => `${(x * 100).toFixed(x < 0.001 && x > 0 ? 3 : 1)}%`;

export function formatPreview(p: Preview): string {
  const lines = [`${grouped(p.count)} of ${countOf(p.base, 'customer')} (${pct(p.share)}) as of ${iso(p.asOf)}`, `  ${p.query}`];
  if (p.sample.length > 0) {
    lines.push('', 'sample:');
    for (const m of p.sample) {
      const traits = Object.entries(m.traits).map(([k, v]) => `${k}=${String(v)}`);
      const figures = [
        m.ordersCount !== null ? `orders=${m.ordersCount}` : undefined,
        m.totalSpent !== null ? `spent=${m.totalSpent.toFixed(2)}` : undefined,
        m.lastOrderAt ? `last_order=${iso(m.lastOrderAt).slice(0, 10)}` : undefined,
      ].filter((x): x is string => x !== undefined);
      lines.push(`  ${m.customerId}  ${[...traits, ...figures].join('  ')}`);
    }
  }
  for (const w of p.warnings) lines.push(`warning: ${w.message}`);
  return lines.join('\n');
}

/** Member counts of the segments a running server keeps live, by segment id (its engine's status). */
export type LiveCounts = ReadonlyMap<string, number>;

/**
 * The members line: the live count when the running server keeps the segment live, else the stored count
 * with what it describes (membersSource, membersAsOf), in the words of `segments members` (formatMembers).
 */
function membersText(s: Segment, live: LiveCounts | undefined): string {
  const now = live?.get(s.id);
  if (now !== undefined) return `${grouped(now)} now, kept live by the running server`;
  const stale = staleText(s.name, s.membersStale ? s.definitionChangedAt : null);
  const text =
    s.membersSource === 'live'
      ? `${grouped(s.members)} now, kept live by the running server`
      : s.membersSource === 'server'
        ? `${grouped(s.members)} as of ${iso(s.membersAsOf)}, when a server last kept it live${stale}`
        : s.membersSource === 'refresh'
          ? `${grouped(s.members)} as of ${iso(s.membersAsOf)} (refreshed ${iso(s.refreshedAt)}${stale})`
          : 'not refreshed yet: run `segmint segments refresh`';
  return text + refusedText(s.notKeptLive);
}

export function formatSegment(s: Segment, live?: LiveCounts): string {
  const lines = [
    `${s.name}  (${s.id})`,
    `  query:       ${s.query}`,
    `  description: ${s.description ?? '—'}`,
  ];
  if (s.notes) lines.push(`  notes:       ${s.notes}`);
  lines.push(
    `  members:     ${membersText(s, live)}`,
    `  created:     ${iso(s.createdAt)}   updated: ${iso(s.updatedAt)}`,
  );
  return lines.join('\n');
}

export function formatList(list: readonly Segment[], live?: LiveCounts): string {
  if (list.length === 0) return 'No segments yet. Create one with `segmint segments create NAME --query "..."`.';
  const rows = list.map((s) => {
    const now = live?.get(s.id);
    // Not live: `*` marks a count of the old definition (changed since the refresh), `!` one a server refused to keep live (show says why).
    const marks = now !== undefined ? '' : `${s.membersStale ? '*' : ''}${s.notKeptLive ? '!' : ''}`;
    const members = now !== undefined ? `${grouped(now)} live` : (s.membersSource !== 'none' ? grouped(s.members) : '—') + marks;
    // The members column is at least 8 wide, so short lists keep the layout of long ones.
    return [padEndDisplay(s.name, 4), padStartDisplay(members, 8), s.query];
  });
  const legend = [
    rows.some((r) => r[1]!.includes('*')) ? '* members of the definition before its last change: run `segmint segments refresh NAME`' : undefined,
    rows.some((r) => r[1]!.includes('!')) ? '! not kept live by the server (too costly, or not computable live): `segmint segments show NAME` says why' : undefined,
  ].filter((x): x is string => x !== undefined);
  return [...alignColumns(rows, [false, true, false]), ...(legend.length > 0 ? ['', ...legend] : [])].join('\n');
}

/**
 * The text of `segments refresh`. Segments a running server keeps live are not recomputed, so the as-of
 * does not apply to them: the header names it only when some segment was refreshed, and when the user
 * asked for an as-of (`asOfAsked`) a last line says it was not applied to the live ones and what to run.
 * A segment's warnings (RefreshResult.warnings) follow its line, as `warning: …` in preview's words.
 */
export function formatRefresh(results: readonly RefreshResult[], asOf: Date, asOfAsked = false): string {
  if (results.length === 0) return 'No segments to refresh.';
  const live = results.filter((r) => r.live).length;
  const note =
    asOfAsked && live > 0
      ? [
          `--as-of ${iso(asOf)} was not applied to the ${live === 1 ? 'segment' : `${live} segments`} the running server keeps live: ` +
            `${live === 1 ? 'it is' : 'they are'} current as of now. To count one as of that time, run ` +
            `\`segmint segments preview --query "<its definition>" --as-of ${iso(asOf)}\` (\`segmint segments show NAME\` prints the definition), or stop the server and refresh.`,
        ]
      : [];
  return [
    live === results.length ? 'kept live by the running server:' : `refreshed as of ${iso(asOf)}:`,
    ...results.flatMap((r) =>
      r.live
        ? [`  ${r.name}: ${countOf(r.members, 'member')}, kept live by the running server (current at every moment; nothing to refresh)`]
        : [
            `  ${r.name}: ${countOf(r.members, 'member')} (+${grouped(r.entered)} entered, −${grouped(r.exited)} exited) in ${r.millis} ms`,
            // Under the segment they are about, in preview's words (storedMomentWarnings).
            ...(r.warnings ?? []).map((w) => `    warning: ${w.message}`),
          ],
    ),
    ...note,
  ].join('\n');
}

/**
 * The text of `segments members`: a header that says what the list is (SegmentMembers.source), then
 * one line per member with the instant it entered.
 */
export function formatMembers(m: SegmentMembers): string {
  const count = `${countOf(m.total, 'member')} of "${m.name}"`;
  const head =
    m.source === 'live'
      ? `${count} now, kept live by the running server`
      : m.source === 'server'
        ? `${count} as of ${iso(m.asOf)}, when a server last kept it live${staleText(m.name, m.definitionChangedAt)}`
        : m.source === 'refresh'
          ? `${count} as of ${iso(m.asOf)} (last refresh${staleText(m.name, m.definitionChangedAt)})`
          : `"${m.name}" has not been refreshed yet: run \`segmint segments refresh\``;
  return [head + refusedText(m.notKeptLive), ...m.members.map((r) => `  ${r.customer_id}  since ${iso(r.since)}`)].join('\n');
}

/**
 * What a header adds when the definition changed after the stored members were written (an update
 * with no server to re-evaluate it): they are the old definition's.
 */
export function staleText(name: string, changedAt: Date | null | undefined): string {
  return changedAt ? `, before the definition changed at ${iso(changedAt)}: run \`segmint segments refresh ${name}\`` : '';
}

/** What a header adds for a segment a running server refused to keep live: the reason (docs/realtime.md). */
export function refusedText(refused: { reason: string } | null | undefined): string {
  return refused ? `; not kept live by the server: ${refused.reason.replace(/^not kept live: /, '')}` : '';
}

export function formatHistory(h: SegmentHistory): string {
  const lines: string[] = [];
  if (h.runs.length > 0) {
    lines.push(`refreshes of "${h.name}" that changed membership (newest first):`);
    for (const r of h.runs) lines.push(`  as of ${iso(r.changed_at)}  +${grouped(r.entered)} entered  −${grouped(r.exited)} exited  (run ${iso(r.recorded_at)})`);
  }
  if (h.changes.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('changes:');
    for (const c of h.changes) lines.push(`  ${iso(c.changed_at)}  ${c.change.padEnd(7)}  ${c.customer_id}`);
  }
  return lines.length > 0 ? lines.join('\n') : `No membership changes recorded for "${h.name}" yet.`;
}
