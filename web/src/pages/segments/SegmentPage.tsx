import { useMemo, useState } from 'react';
import { api, seg, type ApiError } from '../../api/client';
import type { Members, Segment, SegmentHistory, SegmentKpis } from '../../api/types';
import { asApiError, useApi } from '../../api/useApi';
import { useLiveSegments } from '../../api/useLiveSegments';
import type { Route } from '../../app/router';
import { href, navigate } from '../../app/router';
import { useCan } from '../../app/session';
import { Chart } from '../../components/Chart';
import { fmtDay, fmtInt, fmtMoney, fmtPct, fmtTime } from '../../components/format';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, NeedsAdmin, Section, Stat } from '../../components/notes';
import { Pager } from '../customers/SearchPage';

const PAGE = 50;
const DAY_MS = 86_400_000;

/**
 * The 30 days up to the segment's last refresh (UTC days), for the daily KPIs; none before a first
 * refresh. A refresh of the last two days asks for no range at all: the server's default is the 30 days up to
 * yesterday in the workspace time zone, which it knows and the browser does not (a UTC "yesterday"
 * can be today there, and a range ending today is refused).
 */
function kpiRange(refreshedAsOf: string | null): { from: string; to: string } | Record<string, never> | null {
  if (!refreshedAsOf) return null;
  const yesterday = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
  const end = Math.ceil(Date.parse(refreshedAsOf) / DAY_MS) * DAY_MS - DAY_MS;
  // A UTC day before yesterday's is past in every zone (UTC−12 to UTC+14); a later one may not be.
  if (end >= yesterday - DAY_MS) return {};
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: day(end - 29 * DAY_MS), to: day(end) };
}

/** Measurement's daily KPIs of the members: totals over the days, and size and revenue day by day. */
function KpiFigures({ kpis }: { kpis: SegmentKpis }) {
  const t = kpis.totals;
  const option = useMemo(
    () => ({
      grid: { left: 60, right: 60, top: 36, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: kpis.days.map((d) => d.day) },
      yAxis: [{ type: 'value', name: 'members' }, { type: 'value', name: 'revenue', position: 'right' }],
      series: [
        { name: 'members', type: 'line', data: kpis.days.map((d) => d.size), symbol: 'none' },
        { name: 'net revenue', type: 'bar', yAxisIndex: 1, data: kpis.days.map((d) => Math.round(d.revenue * 100) / 100) },
      ],
    }),
    [kpis],
  );
  return (
    <>
      <p className="muted">
        From {kpis.from} to {kpis.to} ({t.days} days; segment KPIs of the measurement capability).
      </p>
      <div className="stats">
        <Stat label="members at the end" value={fmtInt(t.size_last)} sub={`${fmtInt(t.size_first)} at the start`} testId="kpi-members" />
        <Stat label="entries / exits" value={`${fmtInt(t.entries)} / ${fmtInt(t.exits)}`} />
        <Stat label="their orders" value={fmtInt(t.orders)} sub={`average order ${fmtMoney(t.aov)}`} />
        <Stat label="their net revenue" value={fmtMoney(t.revenue)} />
        <Stat label="daily conversion" value={fmtPct(t.daily_conversion, 2)} sub="chance a member buys on a given day" />
        <Stat label="daily email open rate" value={fmtPct(t.daily_open_rate, 2)} />
      </div>
      <Chart option={option} points={kpis.days.length} height={240} label={`Members and their net revenue per day from ${kpis.from} to ${kpis.to}`} />
    </>
  );
}

/** One saved segment: definition, KPIs, entries and exits over time, members a page at a time, CSV export. */
export function SegmentPage({ name, route }: { name: string; route: Route }) {
  const base = `/v1/segments/${seg(name)}`;
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const segment = useApi<Segment>(base);
  const live = useLiveSegments()?.has(name);
  // A segment kept live has its members of now: its figures run to yesterday.
  const range = kpiRange(live ? new Date().toISOString() : (segment.data?.membersAsOf ?? null));
  const kpis = useApi<SegmentKpis>(range ? `${base}/kpis` : null, range ?? undefined);
  const history = useApi<SegmentHistory>(segment.data ? `${base}/history` : null, { limit: 200 });
  const members = useApi<Members>(segment.data ? `${base}/members` : null, { limit: PAGE, offset });
  const admin = useCan('admin');
  const [busy, setBusy] = useState<string>();
  const [actionError, setActionError] = useState<{ what: string; error: ApiError }>();
  const [exportNote, setExportNote] = useState<string>();
  // What the refresh warned about its members (stored values of another moment), as preview warns.
  const [refreshNotes, setRefreshNotes] = useState<string[]>([]);

  const act = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setActionError(undefined);
    try {
      await fn();
    } catch (e) {
      setActionError({ what, error: asApiError(e) });
    } finally {
      setBusy(undefined);
    }
  };
  const refresh = () =>
    act('Refresh', async () => {
      setRefreshNotes([]);
      const done = await api.post<{ warnings?: { message: string }[] }>('/v1/segments/refresh', { name });
      setRefreshNotes((done.warnings ?? []).map((w) => w.message));
      segment.reload();
      kpis.reload();
      history.reload();
      members.reload();
    });
  const remove = () =>
    act('Delete', async () => {
      if (!window.confirm(`Delete the segment “${name}” with its members and history?`)) return;
      await api.del(base);
      navigate(href(['segments']));
    });
  const exportCsv = () =>
    act('Export', async () => {
      const { text: csv, headers } = await api.textWithHeaders(`${base}/export`);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name.replace(/[^\w.-]+/g, '_')}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      // The server's summary is the CLI's line: rows, members, and whom consent left out, by reason.
      setExportNote(`Exported ${a.download}: ${headers.get('x-segmint-summary') ?? 'the server did not say what it wrote'}.`);
    });

  const runs = useMemo(() => [...(history.data?.runs ?? [])].reverse(), [history.data]);
  const option = useMemo(() => {
    let size = 0;
    const sizes = runs.map((r) => (size += r.entered - r.exited));
    return {
      grid: { left: 60, right: 50, top: 36, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: runs.map((r) => fmtTime(r.changed_at)) },
      yAxis: [{ type: 'value', name: 'changes' }, { type: 'value', name: 'members', position: 'right' }],
      series: [
        { name: 'entered', type: 'bar', stack: 'c', data: runs.map((r) => r.entered) },
        { name: 'exited', type: 'bar', stack: 'c', data: runs.map((r) => -r.exited), itemStyle: { color: '#be123c' } },
        { name: 'members', type: 'line', yAxisIndex: 1, data: sizes, itemStyle: { color: '#4338ca' } },
      ],
    };
  }, [runs]);

  if (segment.error) {
    return (
      <>
        <h1 tabIndex={-1}>Segment “{name}”</h1>
        <ErrorNote error={segment.error} what="The segment could not be loaded" />
        <p>
          <a href={href(['segments'])}>All segments</a>
        </p>
      </>
    );
  }
  if (!segment.data) return <Loading what="Loading the segment" />;
  const s = segment.data;
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{s.name}</h1>
        <div className="actions">
          <a className="button" href={href(['segments', s.name, 'edit'])}>
            {admin ? 'Edit' : 'Open in the builder'}
          </a>
          {admin && (
            <>
              <button type="button" onClick={() => void refresh()} disabled={busy !== undefined}>
                {busy === 'Refresh' ? 'Refreshing…' : 'Refresh now'}
              </button>
              <button type="button" className="danger" onClick={() => void remove()} disabled={busy !== undefined}>
                Delete
              </button>
            </>
          )}
          <button type="button" onClick={() => void exportCsv()} disabled={busy !== undefined || s.refreshedAt === null}>
            {busy === 'Export' ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </div>
      {actionError && <ErrorNote error={actionError.error} what={`${actionError.what} failed`} />}
      {exportNote && <p role="status">{exportNote}</p>}
      {refreshNotes.length > 0 && (
        <ul className="warnings" role="status" data-testid="refresh-warnings">
          {refreshNotes.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {!admin && <NeedsAdmin what="Editing, refreshing and deleting" />}
      <div className="grid">
        <Section title="Definition" id="definition" wide>
          <pre className="query-block">{s.query}</pre>
          {s.description && <p>{s.description}</p>}
          <p className="muted">
            Created {fmtTime(s.createdAt)}, changed {fmtTime(s.updatedAt)}.{' '}
            {live
              ? 'Kept live by the real-time engine: its members are those of now.'
              : s.membersSource === 'server'
                ? `Members as of ${fmtTime(s.membersAsOf)}, when a server last kept it live.`
                : s.membersSource === 'refresh'
                  ? `Members as of ${fmtTime(s.membersAsOf)} (refreshed ${fmtTime(s.refreshedAt)}).`
                  : 'Never refreshed: members are counted by a refresh.'}
          </p>
        </Section>
        <Section title="Key figures, day by day" id="kpis" wide>
          <ErrorNote error={kpis.error} what="Key figures could not be computed" />
          {!range && <Empty title="No figures yet.">Refresh the segment: its daily figures are counted up to its last refresh.</Empty>}
          {kpis.data && <KpiFigures kpis={kpis.data} />}
        </Section>
        <Section title="Entries and exits over time" id="history" wide>
          <ErrorNote error={history.error} what="The history could not be loaded" />
          {history.data && (
            <Chart
              option={option}
              points={runs.length}
              label={`Entries and exits of ${s.name} at each of ${runs.length} refreshes that changed membership`}
              empty={s.refreshedAt ? 'No refresh has changed membership yet.' : 'Refresh the segment to record who enters and leaves.'}
            />
          )}
        </Section>
        <Section title="Members" id="members" wide>
          <ErrorNote error={members.error} what="Members could not be loaded" />
          {members.data && members.data.total === 0 && (
            <Empty title={s.refreshedAt ? 'Nobody is in this segment as of its last refresh.' : 'Not counted yet.'}>
              {s.refreshedAt ? 'Change the definition in the builder, or refresh after new data arrives.' : admin ? 'Press “Refresh now” to count the members.' : 'An admin can refresh it, or run `segmint segments refresh` on the server.'}
            </Empty>
          )}
          {members.data && members.data.total > 0 && (
            <>
              <DataTable
                label="Members"
                rows={members.data.members}
                rowKey={(m) => m.customer_id}
                columns={[
                  { head: 'customer', cell: (m) => <a href={href(['customers', m.customer_id])}>{m.customer_id}</a> },
                  { head: 'member since', cell: (m) => fmtDay(m.since) },
                ]}
              />
              <Pager offset={offset} size={PAGE} got={members.data.members.length} total={members.data.total} to={(o) => href(['segments', s.name], { offset: String(o) })} />
            </>
          )}
        </Section>
      </div>
    </>
  );
}
