import { useMemo } from 'react';
import type { SeriesPoint } from '../api/types';
import { Chart } from './Chart';
import { fmtDay } from './format';

/** A segment's size after each refresh, as a small line without axes. */
export function Sparkline({ name, series }: { name: string; series: SeriesPoint[] }) {
  const option = useMemo(
    () => ({
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: 'category', show: false, data: series.map((p) => fmtDay(p.at)) },
      yAxis: { type: 'value', show: false, min: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v} members` },
      series: [{ type: 'line', data: series.map((p) => p.members), symbol: series.length === 1 ? 'circle' : 'none', lineStyle: { width: 2 }, areaStyle: { opacity: 0.12 } }],
    }),
    [series],
  );
  const last = series[series.length - 1];
  return (
    <Chart
      option={option}
      height={36}
      points={series.length}
      label={`${name}: size after each of ${series.length} refreshes${last ? `, ${last.members} members on ${fmtDay(last.at)}` : ''}`}
      empty="never refreshed"
    />
  );
}
