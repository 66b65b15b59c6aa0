import type { LiftInterval } from '../api/types';
import { PALETTE } from './palette';

export interface LiftRow {
  label: string;
  lift: LiftInterval | null;
}

export const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}%`;

/**
 * Relative lifts against control as horizontal bars from zero, each with its 95% interval drawn as an
 * error whisker; the zero line is the control. Drawn in plain SVG; the figures go in the table beside it.
 */
export function LiftBars({ rows, label }: { rows: readonly LiftRow[]; label: string }) {
  const known = rows.filter((r) => r.lift?.estimate !== null && r.lift?.estimate !== undefined);
  if (known.length === 0) return <p className="muted">No relative lift is defined yet: the control group's value is 0 (nobody in it did this).</p>;
  const ends = known.flatMap((r) => [r.lift!.estimate!, r.lift!.ci95[0] ?? r.lift!.estimate!, r.lift!.ci95[1] ?? r.lift!.estimate!]);
  const span = Math.max(0.05, ...ends.map((x) => Math.abs(x))) * 1.1;
  const width = 420;
  const left = 110;
  const right = 16;
  const plot = width - left - right;
  const x = (v: number) => left + ((v + span) / (2 * span)) * plot;
  const rowH = 34;
  const height = rows.length * rowH + 24;
  return (
    <svg className="lift-bars" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-chart={label} data-points={known.length}>
      <path d={`M${x(0)},4 V${height - 18}`} stroke="#374151" strokeWidth="1" />
      <text x={x(0)} y={height - 4} fontSize="11" textAnchor="middle" fill="#374151">
        control
      </text>
      <text x={left} y={height - 4} fontSize="11" fill="#4b5563">
        {pct(-span)}
      </text>
      <text x={width - right} y={height - 4} fontSize="11" textAnchor="end" fill="#4b5563">
        {pct(span)}
      </text>
      {rows.map((r, i) => {
        const y = 8 + i * rowH;
        const e = r.lift?.estimate;
        const [lo, hi] = r.lift?.ci95 ?? [null, null];
        return (
          <g key={r.label}>
            <text x={0} y={y + 14} fontSize="12" fill="#111827">
              {r.label}
            </text>
            {e === null || e === undefined ? (
              <text x={x(0) + 6} y={y + 14} fontSize="11" fill="#4b5563">
                not defined
              </text>
            ) : (
              <>
                <path d={`M${Math.min(x(0), x(e))},${y + 4} H${Math.max(x(0), x(e))} V${y + 18} H${Math.min(x(0), x(e))} Z`} fill={e >= 0 ? PALETTE[0] : PALETTE[3]} opacity="0.85" />
                {lo !== null && hi !== null && (
                  <path d={`M${x(lo)},${y + 11} H${x(hi)} M${x(lo)},${y + 5} V${y + 17} M${x(hi)},${y + 5} V${y + 17}`} stroke="#111827" strokeWidth="1.5" fill="none" />
                )}
              </>
            )}
          </g>
        );
      })}
    </svg>
  );
}
