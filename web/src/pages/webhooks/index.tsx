import type { PageProps } from '../../app/pages';
import { href, navigate } from '../../app/router';
import { useCan } from '../../app/session';
import { NeedsAdmin } from '../../components/notes';
import { Deliveries } from './Deliveries';
import { WebhookList } from './WebhookList';

const STATUSES = ['pending', 'delivered', 'failed'] as const;

/**
 * Webhooks of segments (docs/realtime.md): each entry or exit POSTed, signed, to the user's URL. The
 * list with create and delete, the delivery backlog, and every delivery with its last answer
 * (#/webhooks?status=failed&webhook=ID). The server answers these requests only for admin keys.
 */
export default function WebhooksPage({ route }: PageProps) {
  const admin = useCan('admin');
  const raw = route.query.get('status') ?? '';
  const status = (STATUSES as readonly string[]).includes(raw) ? raw : '';
  const webhook = route.query.get('webhook') ?? '';
  if (!admin) {
    return (
      <>
        <h1 tabIndex={-1}>Webhooks</h1>
        <NeedsAdmin what="Seeing and managing webhooks" />
        <p>On the server, <code>segmint webhooks list</code> and <code>segmint webhooks deliveries</code> show them.</p>
      </>
    );
  }
  const filter = (next: { status?: string; webhook?: string }) => navigate(href(['webhooks'], { status, webhook, ...next }), true);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Webhooks</h1>
        <p className="as-of">Each time a customer enters or leaves a segment, a signed POST to your URL; retried until 24 hours after it was recorded, then marked failed.</p>
      </div>
      <div className="grid">
        <WebhookList onShowDeliveries={(id) => filter({ webhook: id })} />
        <Deliveries status={status} webhook={webhook} statuses={STATUSES} onFilter={filter} />
      </div>
    </>
  );
}
