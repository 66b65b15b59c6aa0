import { useMemo, useState } from 'react';
import { api, seg, type ApiError } from '../../api/client';
import type { Members, Segment, SegmentHistory, SegmentKpis } from '../../api/types';
import { asApiError, useApi } from '../../api/useApi';
import type { Route } from '../../app/router';
import { href, navigate } from '../../app/router';
import { useCan } from '../../app/session';
import { Chart } from '../../components/Chart';
import { fmtDay, fmtInt, fmtMoney, fmtPct, fmtTime } from '../../components/format';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, NeedsAdmin, Section, Stat } from '../../components/notes';
import { Pager } from '../customers/SearchPage';

const PAGE = 50;

/** One saved segment: definition, KPIs, entries and exits over time, members a page at a time, CSV export. */
export function SegmentPage({ name, route }: { name: string; route: Route }) {
  const base = `/v1/segments/${seg(name)}`;
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const segment = useApi<Segment>(base);
  const kpis = useApi<SegmentKpis>(segment.data ? `${base}/kpis` : null);
  const history = useApi<SegmentHistory>(segment.data ? `${base}/history` : null, { limit: 200 });
  const members = useApi<Members>(segment.data ? `${base}/members` : null, { limit: PAGE, offset });
  const admin = useCan('admin');
  const [busy, setBusy] = useState<string>();
  const [actionError, setActionError] = useState<{ what: string; error: ApiError }>();
  const [exportNote, setExportNote] = useState<string>();

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
      await api.post('/v1/segments/refresh', { name });
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
      const csv = await api.text(`${base}/export`);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name.replace(/[^\w.-]+/g, '_')}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExportNote(`Exported ${Math.max(0, csv.split('\n').filter(Boolean).length - 1)} rows.`);
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
      {!admin && <NeedsAdmin what="Editing, refreshing and deleting" />}
      <div className="grid">
        <Section title="Definition" id="definition" wide>
          <pre className="query-block">{s.query}</pre>
          {s.description && <p>{s.description}</p>}
          <p className="muted">
            Created {fmtTime(s.createdAt)}, changed {fmtTime(s.updatedAt)}.{' '}
            {s.refreshedAt ? `Members as of ${fmtTime(s.refreshedAsOf)} (refreshed ${fmtTime(s.refreshedAt)}).` : 'Never refreshed: members are counted by a refresh.'}
          </p>
        </Section>
        <Section title="Key figures" id="kpis" wide>
          <ErrorNote error={kpis.error} what="Key figures could not be computed" />
          {kpis.data && (
            <div className="stats">
              <Stat label="members" value={fmtInt(kpis.data.members)} sub={`${fmtPct(kpis.data.share)} of all customers`} testId="kpi-members" />
              <Stat label="buyers" value={fmtInt(kpis.data.buyers)} />
              <Stat label="their net spend" value={fmtMoney(kpis.data.netRevenue)} sub={`${fmtMoney(kpis.data.avgSpent)} per member`} />
              <Stat label="their orders" value={fmtInt(kpis.data.orders)} />
              <Stat label="may be emailed" value={fmtInt(kpis.data.emailConsented)} sub="email consent granted" />
            </div>
          )}
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
