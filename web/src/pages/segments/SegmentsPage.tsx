import { useMemo } from 'react';
import type { Overlap, Segment } from '../../api/types';
import { useApi } from '../../api/useApi';
import { refreshWords, useLiveSegments } from '../../api/useLiveSegments';
import { href } from '../../app/router';
import { useCan } from '../../app/session';
import { Chart } from '../../components/Chart';
import { fmtDay, fmtInt, fmtPct, fmtSigned } from '../../components/format';
import { HEAT_RANGE } from '../../components/heat';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';
import { Sparkline } from '../../components/Sparkline';

/** Saved segments with size, change over 7 days and last refresh (GET /v1/segments?trend=true), and their overlap. */
export function SegmentsPage() {
  const list = useApi<Segment[]>('/v1/segments', { trend: 'true' });
  const overlap = useApi<Overlap>('/v1/overlap');
  const live = useLiveSegments();
  const admin = useCan('admin');
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Segments</h1>
        <a className="button primary" href={href(['segments', 'new'])}>
          {admin ? 'New segment' : 'Try a definition'}
        </a>
      </div>
      <div className="grid">
        <Section title="Saved segments" id="segment-list" wide>
          <ErrorNote error={list.error} what="The segments could not be loaded" />
          {list.loading && !list.data && <Loading what="Loading segments" />}
          {list.data && list.data.length === 0 && (
            <Empty title="No segments yet.">
              Open the <a href={href(['segments', 'new'])}>builder</a>: type a condition such as <code>orders_count &gt;= 3</code>, watch the count, and save it. On the
              server: <code>segmint segments create vip --query &apos;orders_count &gt;= 3&apos;</code>.
            </Empty>
          )}
          {list.data && list.data.length > 0 && (
            <DataTable
              label="Saved segments"
              rows={list.data}
              rowKey={(s) => s.id}
              columns={[
                {
                  head: 'segment',
                  cell: (s) => (
                    <>
                      <a href={href(['segments', s.name])}>{s.name}</a>
                      {s.description && <div className="muted small">{s.description}</div>}
                    </>
                  ),
                },
                { head: 'members', num: true, cell: (s) => fmtInt(s.members) },
                { head: 'change over 7 days', num: true, cell: (s) => (s.change7d === null || s.change7d === undefined ? '–' : fmtSigned(s.change7d)) },
                { head: 'size over time', className: 'spark', cell: (s) => <Sparkline name={s.name} series={s.series ?? []} /> },
                { head: 'last refresh', cell: (s) => refreshWords(s, live, fmtDay) },
                { head: 'definition', cell: (s) => <code className="query">{s.query}</code> },
              ]}
            />
          )}
        </Section>
        <OverlapMatrix overlap={overlap.data} error={overlap.error} />
      </div>
    </>
  );
}

function OverlapMatrix({ overlap, error }: { overlap: Overlap | undefined; error: ReturnType<typeof useApi>['error'] }) {
  const names = useMemo(() => overlap?.segments.map((s) => s.name) ?? [], [overlap]);
  const option = useMemo(() => {
    if (!overlap) return {};
    const idx = new Map(names.map((n, i) => [n, i]));
    const data: [number, number, number][] = [];
    names.forEach((_, i) => data.push([i, i, 1]));
    for (const p of overlap.pairs) {
      data.push([idx.get(p.a)!, idx.get(p.b)!, Math.round(p.jaccard * 1000) / 1000]);
      data.push([idx.get(p.b)!, idx.get(p.a)!, Math.round(p.jaccard * 1000) / 1000]);
    }
    return {
      grid: { left: 110, right: 16, top: 8, bottom: 80 },
      tooltip: { formatter: (x: { data: [number, number, number] }) => `${names[x.data[0]]} & ${names[x.data[1]]}: Jaccard ${x.data[2]}` },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: 30 } },
      yAxis: { type: 'category', data: names },
      visualMap: { min: 0, max: 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: HEAT_RANGE }, text: ['same', 'disjoint'] },
      series: [{ type: 'heatmap', data, label: { show: names.length <= 8 } }],
    };
  }, [overlap, names]);
  return (
    <Section title="Overlap of saved segments" id="overlap" wide>
      <ErrorNote error={error} what="The overlap could not be computed" />
      {overlap && names.length < 2 && <Empty title="Overlap needs two segments.">Save a second segment to see how much they share.</Empty>}
      {overlap && names.length >= 2 && (
        <>
          <Chart
            option={option}
            points={names.length * names.length}
            height={Math.max(240, 60 + names.length * 36)}
            label={`Jaccard overlap of ${names.length} segments; the table below lists every pair`}
          />
          <DataTable
            label="Segment pairs"
            rows={overlap.pairs}
            rowKey={(p) => `${p.a}\u0000${p.b}`}
            columns={[
              { head: 'segments', cell: (p) => `${p.a} & ${p.b}` },
              { head: 'in both', num: true, cell: (p) => fmtInt(p.both) },
              { head: 'in either', num: true, cell: (p) => fmtInt(p.either) },
              { head: 'Jaccard', num: true, cell: (p) => p.jaccard.toFixed(3) },
              { head: 'share of the first in the second', num: true, cell: (p) => fmtPct(p.share_of_a_in_b) },
            ]}
          />
        </>
      )}
    </Section>
  );
}
