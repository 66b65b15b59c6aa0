import type { SeriesPoint } from '../api/types';
import { fmtDay } from './format';

const W = 120;
const H = 32;

/**
 * A segment's size after each refresh, as a small line drawn in plain SVG: the overview and the segment
 * list show one per segment and should not wait for the chart library.
 */
export function Sparkline({ name, series }: { name: string; series: SeriesPoint[] }) {
  if (series.length === 0) return <span className="muted small">never refreshed</span>;
  const max = Math.max(1, ...series.map((p) => p.members));
  const x = (i: number) => (series.length === 1 ? W / 2 : 2 + (i * (W - 4)) / (series.length - 1));
  const y = (v: number) => H - 2 - (v / max) * (H - 4);
  const line = series.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.members).toFixed(1)}`).join(' ');
  const last = series[series.length - 1]!;
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={`${name}: size after each of ${series.length} refreshes, ${last.members} members on ${fmtDay(last.at)}`}
      data-chart={`${name} size over time`}
      data-points={series.length}
    >
      {series.length > 1 && <path d={`${line} L${x(series.length - 1).toFixed(1)},${H} L${x(0).toFixed(1)},${H} Z`} fill="#0f766e" opacity="0.12" />}
      <path d={line} fill="none" stroke="#0f766e" strokeWidth="2" />
      <circle cx={x(series.length - 1)} cy={y(last.members)} r="2.5" fill="#0f766e" />
    </svg>
  );
}
