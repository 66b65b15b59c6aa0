import { api, seg } from '../../api/client';
import type { WorkflowSummary } from '../../api/types';
import { useAction } from '../../api/useAction';
import { ErrorNote } from '../../components/notes';

/**
 * Pauses an active workflow or resumes a paused one (POST /v1/workflows/{name}/pause|resume, admin),
 * then calls `done` so the page reloads what changed. The server's refusal is shown beside the button.
 */
export function PauseButton({ workflow, done }: { workflow: WorkflowSummary; done: () => void }) {
  const { busy, error, run } = useAction();
  const pausing = workflow.status === 'active';
  const act = () =>
    run(async () => {
      await api.post(`/v1/workflows/${seg(workflow.name)}/${pausing ? 'pause' : 'resume'}`);
      done();
    });
  return (
    <span className="pause">
      <button type="button" onClick={() => void act()} disabled={busy} aria-label={`${pausing ? 'Pause' : 'Resume'} ${workflow.name}`}>
        {pausing ? 'Pause' : 'Resume'}
      </button>
      <ErrorNote error={error} what={`${workflow.name} could not be ${pausing ? 'paused' : 'resumed'}`} />
    </span>
  );
}

/** A workflow's status as a word with its colour. */
export function WorkflowStatus({ status }: { status: WorkflowSummary['status'] }) {
  return <span className={`status status-${status}`}>{status}</span>;
}
