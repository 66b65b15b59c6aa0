import type { Histogram, PredictionDistribution } from './distribution.js';

const n = (x: number): string => x.toLocaleString('en-US');

function bars(h: Histogram, digits: number): string[] {
  const max = Math.max(1, ...h.counts);
  return h.counts.map((c, i) => {
    const last = i === h.counts.length - 1;
    const range = `${h.edges[i]!.toFixed(digits)}–${last && digits === 0 ? '' : h.edges[i + 1]!.toFixed(digits)}`;
    return `  ${range.padStart(digits === 0 ? 13 : 9)} ${n(c).padStart(7)} ${'#'.repeat(Math.round((30 * c) / max))}`;
  });
}

/** The text form of `segmint clv show`. */
export function distributionText(d: PredictionDistribution): string {
  const out = [
    `Stored predictions: ${n(d.customers)} customers, ${d.model} as of ${d.as_of.toISOString().slice(0, 10)}`,
    `  churn risk: ${n(d.churn_risk.low)} low, ${n(d.churn_risk.medium)} medium, ${n(d.churn_risk.high)} high`,
    `  mean P(alive) ${d.mean_p_alive.toFixed(3)}; expected orders in 90 days ${d.totals.expected_purchases_90d.toFixed(1)}` +
      (d.totals.predicted_clv_365d === null ? '' : `; predicted 365-day CLV ${d.totals.predicted_clv_365d.toFixed(2)}`),
    'P(alive):',
    ...bars(d.p_alive, 1),
  ];
  if (d.clv) out.push('Predicted 365-day CLV (last bin: the top 1%):', ...bars(d.clv, 0));
  return out.join('\n');
}
