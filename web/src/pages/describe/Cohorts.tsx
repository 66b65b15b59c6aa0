import { useMemo, useState } from 'react';
import type { Cohorts } from '../../api/types';
import { useApi } from '../../api/useApi';
import { href } from '../../app/router';
import { Chart } from '../../components/Chart';
import { fmtInt } from '../../components/format';
import { HEAT_RANGE } from '../../components/heat';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';

/** Cohort retention heat map (GET /v1/cohorts, `segmint cohorts --json`): share of each cohort buying in each later period. */
export function CohortsCard() {
  const [by, setBy] = useState<'month' | 'week'>('month');
  const c = useApi<Cohorts>('/v1/cohorts', { by });
  const { option, points, rows } = useMemo(() => {
    const cohorts = c.data?.cohorts ?? [];
    const periods = Math.max(0, ...cohorts.map((x) => x.periods.length));
    const data: [number, number, number][] = [];
    cohorts.forEach((co, y) => co.periods.forEach((p) => data.push([p.period, y, Math.round(p.retention * 1000) / 10])));
    return {
      rows: cohorts.length,
      points: data.length,
      option: {
        grid: { left: 120, right: 16, top: 8, bottom: 70 },
        tooltip: {
          formatter: (x: { data: [number, number, number] }) => {
            const co = cohorts[x.data[1]]!;
            return `${co.cohort} (${co.customers} customers), ${by} ${x.data[0]}: ${x.data[2]}% bought`;
          },
        },
        xAxis: { type: 'category', name: `${by}s after the first order`, nameLocation: 'middle', nameGap: 28, data: Array.from({ length: periods }, (_, i) => String(i)) },
        yAxis: { type: 'category', inverse: true, data: cohorts.map((co) => `${co.cohort.slice(0, by === 'month' ? 7 : 10)} (${co.customers})`) },
        visualMap: { min: 0, max: 100, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: HEAT_RANGE }, text: ['100%', '0%'] },
        series: [{ type: 'heatmap', data, label: { show: periods <= 14 && cohorts.length <= 16, formatter: (x: { data: [number, number, number] }) => `${Math.round(x.data[2])}` } }],
      },
    };
  }, [c.data, by]);
  return (
    <Section
      title="Cohort retention"
      id="cohorts"
      wide
      actions={
        <div className="row" role="group" aria-label="Cohorts by">
          <button type="button" aria-pressed={by === 'month'} onClick={() => setBy('month')}>
            by month
          </button>
          <button type="button" aria-pressed={by === 'week'} onClick={() => setBy('week')}>
            by week
          </button>
        </div>
      }
    >
      {c.error?.code === 'no_orders' ? (
        <Empty title="No orders yet.">
          Cohorts group customers by the {by} of their first order. <a href={href(['data'])}>Import your orders</a> first.
        </Empty>
      ) : (
        <ErrorNote error={c.error} what="Cohorts could not be computed" />
      )}
      {c.loading && !c.data && <Loading what="Building cohorts" />}
      {c.data && (
        <>
          <p className="muted">
            Each row is the customers whose first order fell in that {by} (their number in brackets); each cell, the share of them ordering again {by}s later. Data
            until {c.data.data_end}
            {c.data.last_period_partial ? `; the last ${by} is not complete` : ''}.
          </p>
          <Chart option={option} points={points} height={Math.max(240, 90 + rows * 22)} label={`Retention of ${fmtInt(rows)} ${by}ly cohorts`} />
        </>
      )}
    </Section>
  );
}
