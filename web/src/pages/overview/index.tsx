import type { Overview, QualityReport } from '../../api/types';
import { useApi } from '../../api/useApi';
import type { PageProps } from '../../app/pages';
import { href } from '../../app/router';
import { useChangeStream } from '../../api/useChangeStream';
import { useLiveSegments } from '../../api/useLiveSegments';
import { ChangeTable, StreamStatus } from '../../components/changes';
import { PairBars } from '../../components/PairBars';
import { fmtChange, fmtDay, fmtInt, fmtMoney, fmtSigned, trendClass } from '../../components/format';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, Section, Stat } from '../../components/notes';
import { Sparkline } from '../../components/Sparkline';

/** The shop at a glance: GET /v1/overview, the same figures `segmint overview` prints. */
export default function OverviewPage(_: PageProps) {
  // The quality checks are the slow part on a large base: the page draws without waiting for them.
  const { data, error, loading } = useApi<Overview>('/v1/overview', { quality: 'false' });
  // Asked once the overview is in: the database answers one query at a time, so asking at once would
  // interleave the slow checks with the overview's own queries.
  const quality = useApi<QualityReport>(data ? '/v1/quality' : null);
  const warnings = quality.data?.checks.filter((c) => c.count > 0).sort((a, b) => b.count - a.count);
  // The live feed opens after the overview's own numbers, for the same reason.
  const live = useChangeStream({ latest: 8, keep: 8, enabled: data !== undefined });
  const liveSegments = useLiveSegments(data !== undefined);

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Overview</h1>
        {data?.as_of && <p className="as-of">as of {data.as_of} (midnight after the latest order)</p>}
      </div>
      <ErrorNote error={error} what="The overview could not be loaded" />
      {loading && !data && <Loading what="Counting customers and revenue" />}
      {data && (
        <div className="grid">
          <Section title="Customers and revenue" id="headline" wide>
            <div className="stats">
              <Stat label="customers" value={fmtInt(data.stats.customers)} testId="stat-customers" />
              <Stat label="customers with orders" value={fmtInt(data.stats.customers_with_orders)} testId="stat-buyers" />
              <Stat label="orders" value={fmtInt(data.stats.orders)} testId="stat-orders" />
              <Stat label="net revenue (identified customers)" value={fmtMoney(data.stats.net_revenue)} testId="stat-revenue" />
            </div>
            {data.stats.orders === 0 && (
              <Empty title="No orders yet.">
                Import your orders: <a href={href(['data'])}>Data → Upload a CSV</a>, or on the server <code>segmint import orders.csv</code>. Live
                events from your site arrive at <code>POST /v1/track</code>.
              </Empty>
            )}
          </Section>
          <Section title="Revenue against the period before" id="revenue">
            {data.revenue.length === 0 ? (
              <Empty title="No revenue to compare yet.">Once orders are imported, the last 30 and 90 days appear here against the periods before them.</Empty>
            ) : (
              <>
                <div className="stats">
                  {data.revenue.map((w) => (
                    <Stat
                      key={w.days}
                      label={`last ${w.days} days`}
                      value={fmtMoney(w.current)}
                      sub={<span className={trendClass(w.current - w.previous)}>{fmtChange(w.change, w.current - w.previous)} vs {fmtMoney(w.previous)} before</span>}
                      testId={`revenue-${w.days}`}
                    />
                  ))}
                </div>
                <PairBars
                  rows={data.revenue.map((w) => ({ label: `${w.days} days`, a: w.current, b: w.previous }))}
                  names={['this period', 'the period before']}
                  format={fmtMoney}
                  label={`Net revenue: ${data.revenue.map((w) => `last ${w.days} days ${fmtMoney(w.current)} against ${fmtMoney(w.previous)} before`).join('; ')}`}
                />
              </>
            )}
          </Section>
          <Section title="Data quality" id="quality">
            <ErrorNote error={quality.error} what="The quality checks could not run" />
            {!warnings && !quality.error && <Loading what="Checking the data" />}
            {warnings && warnings.length === 0 && <p className="ok">Every data-quality check passed.</p>}
            {warnings && warnings.length > 0 && (
              <ul className="warnings">
                {warnings.map((w) => (
                  <li key={w.id}>
                    <strong>{fmtInt(w.count)}</strong> {w.title.toLowerCase()}
                    {w.out_of !== undefined && <span className="muted"> of {fmtInt(w.out_of)}</span>}
                  </li>
                ))}
              </ul>
            )}
            <p>
              <a href={href(['data'], { tab: 'quality' })}>The full quality report</a>
            </p>
          </Section>
          <Section title="Segments" id="segment-sizes" wide actions={<a href={href(['segments', 'new'])}>New segment</a>}>
            {data.segments.length === 0 ? (
              <Empty title="No segments yet.">
                Create one in the <a href={href(['segments', 'new'])}>segment builder</a>, or on the server:{' '}
                <code>segmint segments create vip --query &apos;orders_count &gt;= 3&apos;</code>.
              </Empty>
            ) : (
              <DataTable
                label="Segment sizes"
                rows={data.segments}
                rowKey={(s) => s.name}
                columns={[
                  { head: 'segment', cell: (s) => <a href={href(['segments', s.name])}>{s.name}</a> },
                  { head: 'members', num: true, cell: (s) => fmtInt(s.members) },
                  { head: 'change over 7 days', num: true, cell: (s) => (s.change7d === null ? '–' : fmtSigned(s.change7d)) },
                  { head: 'size over time', className: 'spark', cell: (s) => <Sparkline name={s.name} series={s.series} /> },
                  { head: 'last refresh (as of)', cell: (s) => (liveSegments?.has(s.name) ? 'kept live' : s.refreshedAsOf ? fmtDay(s.refreshedAsOf) : 'never refreshed') },
                ]}
              />
            )}
          </Section>
          <Section title="Membership changes, live" id="live" wide actions={<a href={href(['live'])}>All changes</a>}>
            <StreamStatus state={live.state} />
            <ErrorNote error={live.error} what="The change stream stopped" />
            {live.state !== 'connecting' && live.changes.length === 0 && !live.error && (
              <Empty title="No one has entered or left a segment yet.">Changes stream in here as customers enter and leave saved segments.</Empty>
            )}
            {live.changes.length > 0 && <ChangeTable changes={live.changes} />}
          </Section>
        </div>
      )}
    </>
  );
}
