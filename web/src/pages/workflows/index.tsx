import type { PageProps } from '../../app/pages';
import { useCan } from '../../app/session';
import { NeedsAdmin } from '../../components/notes';
import { RunPage } from './RunPage';
import { WorkflowList } from './WorkflowList';
import { WorkflowPage } from './WorkflowPage';

/**
 * Workflows (docs/workflows.md): #/workflows lists them, #/workflows/<name> shows one (per-step counts,
 * runs, experiments of its holdout and splits), #/workflows/<name>/runs/<id> one run. The server
 * answers workflow requests only for admin keys (definitions hold addresses and webhook URLs).
 */
export default function WorkflowsPage({ route }: PageProps) {
  const admin = useCan('admin');
  const [, name, sub, id] = route.parts;
  if (!admin) {
    return (
      <>
        <h1 tabIndex={-1}>Workflows</h1>
        <NeedsAdmin what="Seeing and managing workflows" />
        <p>On the server, <code>segmint workflows list</code> shows them.</p>
      </>
    );
  }
  if (name === undefined) return <WorkflowList />;
  if (sub === 'runs' && id !== undefined) return <RunPage workflow={name} id={id} />;
  return <WorkflowPage name={name} status={route.query.get('status') ?? ''} />;
}
