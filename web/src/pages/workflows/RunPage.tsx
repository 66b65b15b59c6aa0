import { seg } from '../../api/client';
import type { WorkflowRunDetail } from '../../api/types';
import { useApi } from '../../api/useApi';
import { href } from '../../app/router';
import { DataTable } from '../../components/DataTable';
import { fmtTime } from '../../components/format';
import { ErrorNote, Loading, Section } from '../../components/notes';

/** One run: where it is, every step it took, its emails and webhooks, its holdout and split assignments. */
export function RunPage({ workflow, id }: { workflow: string; id: string }) {
  const r = useApi<WorkflowRunDetail>(`/v1/workflow-runs/${seg(id)}`);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Run {id}</h1>
        <a href={href(['workflows', workflow])}>Workflow “{workflow}”</a>
      </div>
      <ErrorNote error={r.error} what="The run could not be loaded" />
      {r.loading && !r.data && <Loading what="Loading the run" />}
      {r.data && (
        <div className="grid">
          <Section title="Where it is" id="run-state" wide>
            <p>
              Customer <a href={href(['customers', r.data.customerId])}>{r.data.customerId}</a>
              {r.data.key && <> · key {r.data.key}</>} · version {r.data.version} · entered {fmtTime(r.data.enteredAt)}
              {r.data.holdout && <> · in the holdout (gets no email or webhook)</>}
            </p>
            <p>
              <strong>Now:</strong> {r.data.state}
            </p>
            {r.data.assignments.length > 0 && <p>Assignments: {r.data.assignments.map((a) => `${a.step_id} → ${a.variant}`).join(', ')}</p>}
          </Section>
          <Section title="Steps taken" id="run-log" wide>
            <DataTable
              label="Run log"
              rows={r.data.log.map((l, i) => ({ ...l, i }))}
              rowKey={(l) => String(l.i)}
              columns={[
                { head: 'when', cell: (l) => fmtTime(l.logged_at) },
                { head: 'step', cell: (l) => (l.step_id ? <code>{l.step_id}</code> : '–') },
                { head: 'action', cell: (l) => l.action },
                { head: 'detail', cell: (l) => l.detail ?? '' },
              ]}
            />
          </Section>
          {r.data.sends.length > 0 && (
            <Section title="Emails and webhooks" id="run-sends" wide>
              <DataTable
                label="Sends of the run"
                rows={r.data.sends}
                rowKey={(s) => s.step_id}
                columns={[
                  { head: 'step', cell: (s) => <code>{s.step_id}</code> },
                  { head: 'channel', cell: (s) => s.channel },
                  { head: 'to', cell: (s) => s.recipient ?? '–' },
                  { head: 'status', cell: (s) => `${s.status}${s.reason ? ` (${s.reason})` : ''}` },
                  { head: 'attempts', num: true, cell: (s) => String(s.attempts) },
                  { head: 'last error', cell: (s) => s.last_error ?? '' },
                ]}
              />
            </Section>
          )}
        </div>
      )}
    </>
  );
}
