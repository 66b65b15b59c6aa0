import { useMemo } from 'react';
import type { ClvValidation, Histogram, PredictionDistribution } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useJob } from '../../api/useJob';
import { href } from '../../app/router';
import { useCan } from '../../app/session';
import { Chart } from '../../components/Chart';
import { fmtDay, fmtInt, fmtMoney, fmtNum } from '../../components/format';
import { JobProgress } from '../../components/JobProgress';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, Section, Stat } from '../../components/notes';

function histogramOption(h: Histogram, what: string, digits: number) {
  const labels = h.counts.map((_, i) => `${fmtNum(h.edges[i]!, digits)}–${i === h.counts.length - 1 && what === 'CLV' ? '' : fmtNum(h.edges[i + 1]!, digits)}`);
  return {
    grid: { left: 50, right: 12, top: 12, bottom: 54 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v} customers` },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: 40 } },
    yAxis: { type: 'value', name: 'customers' },
    series: [{ type: 'bar', name: what, data: h.counts, barCategoryGap: '5%' }],
  };
}

/** Stored lifetime-value predictions (GET /v1/clv/predictions); an admin can fit and predict again (a job). */
export function ClvCard() {
  const dist = useApi<PredictionDistribution>('/v1/clv/predictions');
  const admin = useCan('admin');
  const fit = useJob((j) => j.state === 'done' && dist.reload());
  const d = dist.data;
  const pAlive = useMemo(() => (d ? histogramOption(d.p_alive, 'P(alive)', 1) : {}), [d]);
  const clv = useMemo(() => (d?.clv ? histogramOption(d.clv, 'CLV', 0) : {}), [d]);
  const bands = useMemo(
    () =>
      d
        ? {
            grid: { left: 70, right: 40, top: 8, bottom: 24 },
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            xAxis: { type: 'value' },
            yAxis: { type: 'category', data: ['low', 'medium', 'high'] },
            series: [
              {
                type: 'bar',
                data: [
                  { value: d.churn_risk.low, itemStyle: { color: '#15803d' } },
                  { value: d.churn_risk.medium, itemStyle: { color: '#b45309' } },
                  { value: d.churn_risk.high, itemStyle: { color: '#be123c' } },
                ],
                label: { show: true, position: 'right' },
              },
            ],
          }
        : {},
    [d],
  );
  const button = admin && (
    <button type="button" onClick={() => void fit.start('/v1/clv/fit', {})} disabled={fit.running}>
      {fit.running ? 'Fitting…' : d ? 'Fit and predict again' : 'Fit and predict'}
    </button>
  );
  return (
    <>
      <Section title="Lifetime value and P(alive)" id="clv" wide actions={button}>
        <ErrorNote error={fit.error} what="Fitting could not start" />
        <JobProgress job={fit.job} what="Fitting BG/NBD and Gamma-Gamma" />
        {dist.error?.code === 'clv_not_predicted' ? (
          <Empty title="No predictions yet.">
            {admin ? 'Press “Fit and predict”, ' : 'Ask an admin to fit the models, '}or on the server run <code>segmint clv fit</code> then <code>segmint clv predict</code>.
          </Empty>
        ) : (
          <ErrorNote error={dist.error} what="Predictions could not be loaded" />
        )}
        {dist.loading && !d && <Loading what="Loading predictions" />}
        {d && (
          <>
            <div className="stats">
              <Stat label="customers predicted" value={fmtInt(d.customers)} sub={`${d.model} as of ${fmtDay(d.as_of)}`} testId="clv-customers" />
              <Stat label="mean P(alive)" value={fmtNum(d.mean_p_alive)} />
              <Stat label="orders expected in 90 days" value={fmtNum(d.totals.expected_purchases_90d, 1)} />
              <Stat label="predicted CLV, 365 days" value={fmtMoney(d.totals.predicted_clv_365d)} testId="clv-total" />
            </div>
            <div className="two">
              <div>
                <h3>P(alive)</h3>
                <Chart option={pAlive} points={d.p_alive.counts.length} height={230} label={`P(alive) of ${d.customers} customers in ten bins: ${d.p_alive.counts.join(', ')}`} />
              </div>
              <div>
                <h3>Predicted CLV over 365 days</h3>
                {d.clv ? (
                  <Chart option={clv} points={d.clv.counts.length} height={230} label={`Predicted 365-day CLV in ${d.clv.counts.length} bins up to the 99th percentile`} />
                ) : (
                  <p className="muted">No spend model: too few repeat buyers to fit Gamma-Gamma.</p>
                )}
              </div>
            </div>
            <h3>Churn-risk bands</h3>
            <Chart option={bands} points={3} height={150} label={`Churn risk: ${d.churn_risk.low} low, ${d.churn_risk.medium} medium, ${d.churn_risk.high} high`} />
            <p>
              <a href={href(['segments', 'new'], { query: 'churn.risk = "high"', name: 'churn-risk-high' })}>Make a segment of the customers at high churn risk</a>
            </p>
          </>
        )}
      </Section>
    </>
  );
}

/** Holdout validation of the purchase model (GET /v1/clv/validation, `segmint clv validate --json`). */
export function ValidationCard() {
  const v = useApi<ClvValidation>('/v1/clv/validation');
  const option = useMemo(() => {
    const rows = v.data?.by_frequency ?? [];
    return {
      grid: { left: 50, right: 12, top: 36, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (x: number) => fmtNum(x, 1) },
      xAxis: { type: 'category', name: 'repeat purchases in calibration', nameLocation: 'middle', nameGap: 26, data: rows.map((r) => r.x) },
      yAxis: { type: 'value', name: 'holdout purchases' },
      series: [
        { name: 'actual', type: 'bar', data: rows.map((r) => r.actual) },
        { name: 'model (expected)', type: 'bar', data: rows.map((r) => Math.round(r.model * 10) / 10) },
        { name: 'naive', type: 'line', data: rows.map((r) => Math.round(r.naive * 10) / 10) },
      ],
    };
  }, [v.data]);
  return (
    <Section title="Holdout validation of the purchase model" id="clv-validation" wide>
      {v.loading && <Loading what="Fitting on the calibration period and comparing with the holdout" />}
      <ErrorNote error={v.error} what="Validation could not run" />
      {v.data && (
        <>
          <p className="muted">
            {v.data.model} fitted on orders up to {v.data.calibration_end}, compared with the {fmtNum(v.data.holdout_length, 1)} {v.data.time_unit}s up to {v.data.holdout_end}, for{' '}
            {fmtInt(v.data.customers)} customers. Holdout purchases in all: actual {fmtInt(v.data.totals.actual)}, model {fmtNum(v.data.totals.model, 1)}, naive {fmtNum(v.data.totals.naive, 1)}.
          </p>
          <Chart option={option} points={v.data.by_frequency.length * 3} height={260} label={`Holdout purchases by calibration frequency, actual against the model's expectation`} />
          <DataTable
            label="Holdout purchases by calibration frequency"
            rows={v.data.by_frequency}
            rowKey={(r) => r.x}
            columns={[
              { head: 'repeat purchases', cell: (r) => r.x },
              { head: 'customers', num: true, cell: (r) => fmtInt(r.customers) },
              { head: 'actual', num: true, cell: (r) => fmtInt(r.actual) },
              { head: 'model', num: true, cell: (r) => fmtNum(r.model, 1) },
              { head: 'naive', num: true, cell: (r) => fmtNum(r.naive, 1) },
            ]}
          />
        </>
      )}
    </Section>
  );
}
