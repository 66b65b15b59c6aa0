import { seg } from '../../api/client';
import type { Experiment, WorkflowDetail, WorkflowRun, WorkflowStepCounts, WorkflowSummary } from '../../api/types';
import { useApi } from '../../api/useApi';
import { href, navigate } from '../../app/router';
import { useCan } from '../../app/session';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { DataTable } from '../../components/DataTable';
import { fmtInt, fmtTime } from '../../components/format';
import { Empty, ErrorNote, Loading, NeedsAdmin, Section, Stat } from '../../components/notes';
import { ExperimentResult } from './ExperimentResult';
import { PauseButton, WorkflowStatus } from './PauseButton';

const RUN_STATUSES = ['active', 'completed', 'exited', 'converted', 'cancelled', 'failed'];
const counted = (xs: readonly { label: string; n: number }[]): string => xs.map((x) => `${x.label} ${fmtInt(x.n)}`).join(', ');

/** Skipped sends of every step, by reason, most first. */
function skipReasons(steps: WorkflowStepCounts): { label: string; n: number }[] {
  const by = new Map<string, number>();
  for (const s of steps.steps) for (const x of s.sends) if (x.status === 'skipped') by.set(x.reason ?? 'unknown', (by.get(x.reason ?? 'unknown') ?? 0) + x.n);
  return [...by].map(([label, n]) => ({ label, n })).sort((a, b) => b.n - a.n || a.label.localeCompare(b.label));
}

/**
 * One workflow: status (pause, resume), runs by status, skipped sends by reason, each step with the runs
 * at it now, what it did and what it sent or skipped (and why), the experiments of its holdout and
 * splits, its latest runs; for an admin key also the triggers not acted on and the definition (the
 * server shows a definition to admin keys only: a webhook step's headers may hold credentials).
 */
export function WorkflowPage({ name, status }: { name: string; status: string }) {
  const base = `/v1/workflows/${seg(name)}`;
  const admin = useCan('admin');
  const list = useApi<WorkflowSummary[]>('/v1/workflows');
  const detail = useApi<WorkflowDetail>(admin ? base : null);
  const summary = list.data?.find((x) => x.name === name);
  // Asked at once: for a name no workflow has, its 404 is the API's own words for the page.
  const steps = useApi<WorkflowStepCounts>(`${base}/steps`);
  const runs = useApi<WorkflowRun[]>(summary ? `${base}/runs` : null, { status, limit: 50 });
  const experiments = useApi<Experiment[]>(summary ? '/v1/experiments' : null);
  const own = experiments.data?.filter((e) => e.source === 'workflow' && e.name.startsWith(`workflow ${name} `));
  const skipped = steps.data ? skipReasons(steps.data) : [];
  const reload = () => {
    list.reload();
    detail.reload();
    steps.reload();
    runs.reload();
  };
  const w = { data: summary, error: list.error ?? detail.error ?? (summary ? undefined : steps.error), loading: list.loading || (!summary && steps.loading) };
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Workflow “{name}”</h1>
        <a href={href(['workflows'])}>All workflows</a>
      </div>
      <ErrorNote error={w.error} what="The workflow could not be loaded" />
      {w.loading && !w.data && <Loading what="Loading the workflow" />}
      {w.data && (
        <div className="grid">
          <Section title="Status" id="workflow-status" wide actions={admin ? <PauseButton workflow={w.data} done={reload} /> : undefined}>
            <p>
              <WorkflowStatus status={w.data.status} /> · version {w.data.version}{detail.data && ` of ${detail.data.versions.length}`}
              {w.data.template && <> · from the template {w.data.template}</>} · {w.data.status === 'active' ? 'active' : 'paused'} since {fmtTime(w.data.activeSince)}
            </p>
            {w.data.description && <p className="muted">{w.data.description}</p>}
            <p>
              <strong>Trigger:</strong> {w.data.trigger}
            </p>
            <div className="stats">
              <Stat label="runs active" value={fmtInt(w.data.runs.active)} testId="runs-active" />
              <Stat label="runs in all" value={fmtInt(w.data.runs.total)} testId="runs-total" />
              <Stat label="converted" value={fmtInt(w.data.runs.converted)} testId="runs-converted" />
              <Stat label="messages sent" value={fmtInt(w.data.messages.sent)} testId="messages-sent" />
              <Stat label="messages skipped" value={fmtInt(w.data.messages.skipped)} testId="messages-skipped" />
            </div>
            {steps.data && steps.data.runs.length > 0 && <p data-testid="runs-by-status">Runs by outcome: {counted(steps.data.runs.map((r) => ({ label: r.status, n: r.n })))}.</p>}
            {skipped.length > 0 && <p data-testid="skip-reasons">Skipped sends by reason: {counted(skipped)}.</p>}
            {detail.data?.triggers.some((t) => t.outcome !== 'started') && (
              <p className="muted">Triggers not acted on: {counted(detail.data.triggers.filter((t) => t.outcome !== 'started').map((t) => ({ label: t.outcome, n: t.n })))}.</p>
            )}
          </Section>
          <Section title="Steps" id="workflow-steps" wide>
            <ErrorNote error={steps.error} what="The step counts could not be loaded" />
            {steps.loading && !steps.data && <Loading what="Counting each step" />}
            {steps.data && (
              <>
                <DataTable
                  label="Steps with their counts"
                  rows={steps.data.steps}
                  rowKey={(s) => s.id}
                  columns={[
                    { head: 'step', cell: (s) => <code>{s.id}</code> },
                    { head: 'does', cell: (s) => s.does },
                    { head: 'runs here now', num: true, cell: (s) => fmtInt(s.activeHere) },
                    { head: 'what it did', cell: (s) => (s.outcomes.length ? counted(s.outcomes.map((o) => ({ label: o.outcome, n: o.n }))) : '–') },
                    {
                      head: 'sends',
                      cell: (s) => (s.sends.length ? counted(s.sends.map((x) => ({ label: `${x.channel} ${x.status}${x.reason ? ` (${x.reason})` : ''}`, n: x.n }))) : '–'),
                    },
                  ]}
                />
                {steps.data.activeElsewhere > 0 && <p className="muted">{fmtInt(steps.data.activeElsewhere)} active runs are at a step of an older version, or starting.</p>}
              </>
            )}
          </Section>
          <ErrorNote error={experiments.error} what="The workflow's experiments could not be loaded" />
          {experiments.loading && !experiments.data && <Loading what="Looking for its holdout and splits" />}
          {own && own.length > 0 && (
            <Section title="Holdout and splits, measured" id="workflow-experiments" wide>
              {own.map((e) => (
                <ExperimentResult key={e.name} experiment={e} />
              ))}
            </Section>
          )}
          <Section
            title="Latest runs"
            id="workflow-runs"
            wide
            actions={<ChoiceSelect id="run-status" label="Status" value={status} options={RUN_STATUSES} any="any" onChange={(v) => navigate(href(['workflows', name], { status: v || undefined }), true)} />}
          >
            <ErrorNote error={runs.error} what="The runs could not be loaded" />
            {runs.loading && !runs.data && <Loading what="Loading runs" />}
            {runs.data && runs.data.length === 0 && <Empty title={status ? `No ${status} runs.` : 'No runs yet.'}>A run starts when a customer meets the trigger: {w.data.trigger}.</Empty>}
            {runs.data && runs.data.length > 0 && (
              <DataTable
                label="Runs, newest first"
                rows={runs.data}
                rowKey={(r) => r.id}
                columns={[
                  { head: 'run', cell: (r) => <a href={href(['workflows', name, 'runs', r.id])}>{r.id}</a> },
                  { head: 'customer', cell: (r) => <a href={href(['customers', r.customerId])}>{r.customerId}</a> },
                  { head: 'key', cell: (r) => r.key ?? '–' },
                  { head: 'entered', cell: (r) => fmtTime(r.enteredAt) },
                  { head: 'now', cell: (r) => `${r.state}${r.holdout ? ' (holdout)' : ''}` },
                ]}
              />
            )}
          </Section>
          <Section title="Definition" id="workflow-definition" wide>
            {!admin && <NeedsAdmin what="Reading the definition" />}
            {detail.loading && !detail.data && <Loading what="Loading the definition" />}
            {detail.data && (
              <>
                <pre className="query-block">{detail.data.source}</pre>
                <p className="small muted">
                  Change it on the server: <code>segmint workflows update {name} --file FILE</code>; runs under way stay on their version.
                </p>
              </>
            )}
          </Section>
        </div>
      )}
    </>
  );
}
