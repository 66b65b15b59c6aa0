import { seg } from '../../api/client';
import type { Experiment, ExperimentAnalysis } from '../../api/types';
import { useApi } from '../../api/useApi';
import { href } from '../../app/router';
import { fmtInt } from '../../components/format';
import { LiftBars } from '../../components/LiftBars';
import { ErrorNote, Loading } from '../../components/notes';

/**
 * A workflow's holdout or split as the measurement capability compares it: the groups, and the lift in
 * conversion over 30 days after entry with its 95% interval (GET /v1/experiments/{name}/analysis).
 */
export function ExperimentResult({ experiment }: { experiment: Experiment }) {
  const a = useApi<ExperimentAnalysis>(`/v1/experiments/${seg(experiment.name)}/analysis`, { window: '30d', metric: 'conversion' });
  const conversion = a.data?.metrics.find((m) => m.metric === 'conversion');
  return (
    <div className="experiment-result" data-testid="workflow-experiment">
      <h3>
        <a href={href(['experiments', experiment.name])}>{experiment.name}</a>
      </h3>
      <p className="muted">
        Groups: {experiment.groups.map((g) => `${g.name} ${fmtInt(g.customers)}`).join(', ')} (control “{experiment.control}”).
      </p>
      <ErrorNote error={a.error} what="The comparison failed" />
      {a.loading && !a.data && <Loading what="Comparing the groups" />}
      {a.data && (
        <>
          <ul className="sentences">
            {a.data.summary.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          {conversion && (
            <LiftBars
              label={`Relative lift in conversion against ${a.data.control}, with 95% intervals`}
              rows={conversion.groups.filter((g) => g.group !== a.data!.control).map((g) => ({ label: g.group, lift: g.relative_lift }))}
            />
          )}
        </>
      )}
    </div>
  );
}
