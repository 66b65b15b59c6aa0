import { PALETTE } from './palette';

export interface PairRow {
  label: string;
  a: number;
  b: number;
}

/**
 * Two bars per row (this period against the one before), drawn in plain SVG with the values written
 * beside them, so the first page needs no chart library.
 */
export function PairBars({ rows, names, format, label }: { rows: PairRow[]; names: [string, string]; format: (x: number) => string; label: string }) {
  const max = Math.max(1, ...rows.flatMap((r) => [r.a, r.b]));
  const rowH = 46;
  const left = 90;
  const width = 360;
  const bar = (v: number) => Math.max(1, ((width - left - 90) * Math.max(0, v)) / max);
  return (
    <div className="pair-bars">
      <div className="legend" aria-hidden="true">
        <span>
          <i style={{ background: PALETTE[0] }} /> {names[0]}
        </span>
        <span>
          <i style={{ background: PALETTE[1] }} /> {names[1]}
        </span>
      </div>
      <svg viewBox={`0 0 ${width} ${rows.length * rowH}`} role="img" aria-label={label} data-chart={label} data-points={rows.length * 2} className="pair-svg">
        {rows.map((r, i) => {
          const y = i * rowH + 6;
          return (
            <g key={r.label}>
              <text x={0} y={y + 17} fontSize="12" fill="#111827">
                {r.label}
              </text>
              <path d={`M${left},${y} h${bar(r.a)} v15 h${-bar(r.a)} Z`} fill={PALETTE[0]} />
              <text x={left + bar(r.a) + 4} y={y + 12} fontSize="11" fill="#111827">
                {format(r.a)}
              </text>
              <path d={`M${left},${y + 18} h${bar(r.b)} v15 h${-bar(r.b)} Z`} fill={PALETTE[1]} />
              <text x={left + bar(r.b) + 4} y={y + 30} fontSize="11" fill="#111827">
                {format(r.b)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
