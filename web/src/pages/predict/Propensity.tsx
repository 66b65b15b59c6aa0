import { useMemo } from 'react';
import type { PropensityValidation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useJob } from '../../api/useJob';
import { useCan } from '../../app/session';
import { Chart } from '../../components/Chart';
import { fmtDay, fmtInt, fmtNum, fmtPct } from '../../components/format';
import { JobProgress } from '../../components/JobProgress';
import { ErrorNote, Loading, Section } from '../../components/notes';

/**
 * Propensity calibration (GET /v1/propensity/validation, `segmint propensity validate --json`): mean
 * predicted probability against the observed rate per decile, on a window the model never saw.
 */
export function PropensityCard() {
  const v = useApi<PropensityValidation[]>('/v1/propensity/validation');
  const admin = useCan('admin');
  const train = useJob();
  const button = admin && (
    <button type="button" onClick={() => void train.start('/v1/propensity/train', {})} disabled={train.running}>
      {train.running ? 'Training…' : 'Train and score'}
    </button>
  );
  return (
    <Section title="Propensity calibration" id="propensity" wide actions={button}>
      <ErrorNote error={train.error} what="Training could not start" />
      <JobProgress job={train.job} what="Training and scoring propensity" />
      {train.job?.state === 'done' && <p role="status">Scores are stored: segments can use propensity.purchase_30d and propensity.churn_90d.</p>}
      {v.loading && <Loading what="Training at a past cutoff and testing on the window after it" />}
      <ErrorNote error={v.error} what="Validation could not run" />
      <div className="two">
        {v.data?.map((t) => (
          <CalibrationChart key={t.target} t={t} />
        ))}
      </div>
    </Section>
  );
}

function CalibrationChart({ t }: { t: PropensityValidation }) {
  const option = useMemo(
    () => ({
      grid: { left: 50, right: 16, top: 16, bottom: 44 },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', name: 'mean predicted', nameLocation: 'middle', nameGap: 28, min: 0, max: 1 },
      yAxis: { type: 'value', name: 'observed', min: 0, max: 1 },
      series: [
        { type: 'line', name: 'perfect calibration', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { type: 'dashed', color: '#6b7280' } },
        { type: 'scatter', name: 'deciles', symbolSize: 10, data: t.calibration.map((b) => [Math.round(b.meanPredicted * 1000) / 1000, Math.round(b.observedRate * 1000) / 1000]) },
      ],
    }),
    [t],
  );
  return (
    <div>
      <h3>{t.target}</h3>
      <p className="muted">
        Trained at {fmtDay(t.trainCutoff)}, tested at {fmtDay(t.testCutoff)} on {fmtInt(t.test.customers)} customers ({fmtPct(t.test.baseRate)} positive). AUC {fmtNum(t.model.auc ?? null, 3)}
        {t.baselines
          .filter((b) => b.auc !== undefined)
          .map((b) => `; ${b.name} ${fmtNum(b.auc ?? null, 3)}`)
          .join('')}
        .
      </p>
      <Chart option={option} points={t.calibration.length} height={260} label={`Calibration of ${t.target}: observed rate against mean predicted probability in ${t.calibration.length} bins`} />
    </div>
  );
}
