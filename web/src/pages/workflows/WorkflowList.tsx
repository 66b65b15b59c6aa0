import type { WorkflowSummary } from '../../api/types';
import { useApi } from '../../api/useApi';
import { href } from '../../app/router';
import { useCan } from '../../app/session';
import { DataTable } from '../../components/DataTable';
import { fmtInt, fmtTime } from '../../components/format';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';
import { PauseButton, WorkflowStatus } from './PauseButton';

/** Every workflow with its trigger, status and run and message counts (GET /v1/workflows). */
export function WorkflowList() {
  const list = useApi<WorkflowSummary[]>('/v1/workflows');
  const admin = useCan('admin');
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Workflows</h1>
        <p className="as-of">What happens to customers when they enter a segment, do something, or reach a date: waits, branches, emails and webhooks.</p>
      </div>
      <Section title="Workflows" id="workflow-list" wide>
        <ErrorNote error={list.error} what="Workflows could not be loaded" />
        {list.loading && !list.data && <Loading what="Loading workflows" />}
        {list.data && list.data.length === 0 && (
          <Empty title="No workflows yet.">
            Start from a ready-made one on the server: <code>segmint workflows templates</code>, then for example{' '}
            <code>segmint workflows create cart --template abandoned-cart --param delay=1h</code> (docs/workflows.md).
          </Empty>
        )}
        {list.data && list.data.length > 0 && (
          <DataTable
            label="Workflows"
            rows={list.data}
            rowKey={(w) => w.id}
            columns={[
              { head: 'workflow', cell: (w) => <a href={href(['workflows', w.name])}>{w.name}</a> },
              { head: 'status', cell: (w) => <WorkflowStatus status={w.status} /> },
              { head: 'trigger', cell: (w) => w.trigger },
              { head: 'runs active', num: true, cell: (w) => fmtInt(w.runs.active) },
              { head: 'runs in all', num: true, cell: (w) => fmtInt(w.runs.total) },
              { head: 'converted', num: true, cell: (w) => fmtInt(w.runs.converted) },
              { head: 'sent', num: true, cell: (w) => fmtInt(w.messages.sent) },
              { head: 'skipped', num: true, cell: (w) => fmtInt(w.messages.skipped) },
              { head: 'version', num: true, cell: (w) => `v${w.version}` },
              { head: 'updated', cell: (w) => fmtTime(w.updatedAt) },
              ...(admin ? [{ head: 'pause or resume', cell: (w: WorkflowSummary) => <PauseButton workflow={w} done={list.reload} /> }] : []),
            ]}
          />
        )}
      </Section>
    </>
  );
}
