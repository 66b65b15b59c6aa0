import type { PageProps } from '../../app/pages';
import { RunPage } from './RunPage';
import { WorkflowList } from './WorkflowList';
import { WorkflowPage } from './WorkflowPage';

/**
 * Workflows (docs/workflows.md): #/workflows lists them, #/workflows/<name> shows one (per-step counts,
 * runs, experiments of its holdout and splits), #/workflows/<name>/runs/<id> one run. The server
 * answers workflow requests only for admin keys (definitions hold addresses and webhook URLs).
 */
export default function WorkflowsPage({ route }: PageProps) {
  const [, name, sub, id] = route.parts;
  if (name === undefined) return <WorkflowList />;
  if (sub === 'runs' && id !== undefined) return <RunPage workflow={name} id={id} />;
  return <WorkflowPage name={name} status={route.query.get('status') ?? ''} />;
}
