import type { RealtimeStatus, WebhookDelivery } from '../../api/types';
import { useApi } from '../../api/useApi';
import { href } from '../../app/router';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { DataTable } from '../../components/DataTable';
import { fmtInt, fmtTime } from '../../components/format';
import { Empty, ErrorNote, Loading, Section, Stat } from '../../components/notes';

/**
 * The delivery backlog (GET /v1/realtime/status: pending, delivered, failed) and the latest deliveries
 * (GET /v1/webhooks/deliveries), by status and webhook, each with its attempts and the receiver's last
 * answer or error.
 */
export function Deliveries({ status, webhook, statuses, onFilter }: { status: string; webhook: string; statuses: readonly string[]; onFilter: (f: { status?: string; webhook?: string }) => void }) {
  const counts = useApi<RealtimeStatus>('/v1/realtime/status');
  const list = useApi<{ deliveries: WebhookDelivery[] }>('/v1/webhooks/deliveries', { status, webhook, limit: 100 });
  const c = counts.data?.webhooks;
  return (
    <Section
      title="Deliveries"
      id="webhook-deliveries"
      wide
      actions={
        <div className="row">
          <ChoiceSelect id="delivery-status" label="Status" value={status} options={statuses} any="any" onChange={(v) => onFilter({ status: v })} />
          {webhook && (
            <button type="button" onClick={() => onFilter({ webhook: '' })}>
              Every webhook
            </button>
          )}
        </div>
      }
    >
      <ErrorNote error={counts.error} what="The delivery counts could not be loaded" />
      {c && (
        <div className="stats">
          <Stat label="delivered" value={fmtInt(c.delivered)} testId="deliveries-delivered" />
          <Stat label="waiting (pending or retrying)" value={fmtInt(c.pending)} testId="deliveries-pending" />
          <Stat label="failed (no success within 24 hours of being recorded)" value={<span className={c.failed > 0 ? 'down' : ''}>{fmtInt(c.failed)}</span>} testId="deliveries-failed" />
        </div>
      )}
      {webhook && <p className="muted">Deliveries of webhook <code>{webhook}</code> only.</p>}
      <ErrorNote error={list.error} what="The deliveries could not be loaded" />
      {list.loading && !list.data && <Loading what="Loading deliveries" />}
      {list.data && list.data.deliveries.length === 0 && (
        <Empty title={status ? `No ${status} deliveries.` : 'No deliveries yet.'}>A delivery is made each time a customer enters or leaves a segment that has a webhook.</Empty>
      )}
      {list.data && list.data.deliveries.length > 0 && (
        <DataTable
          label="Deliveries, newest first"
          rows={list.data.deliveries}
          rowKey={(d) => d.id}
          columns={[
            { head: 'change at', cell: (d) => fmtTime(d.at) },
            { head: 'segment', cell: (d) => d.segment ?? '(deleted)' },
            { head: 'customer', cell: (d) => <a href={href(['customers', d.customerId])}>{d.customerId}</a> },
            { head: 'change', cell: (d) => d.change },
            { head: 'status', cell: (d) => <span className={`status status-${d.status}`} data-testid="delivery-status">{d.status}</span> },
            { head: 'attempts', num: true, cell: (d) => fmtInt(d.attempts) },
            { head: 'last answer', cell: (d) => (d.lastStatus !== null ? `HTTP ${d.lastStatus}` : '') + (d.lastError ? `${d.lastStatus !== null ? ': ' : ''}${d.lastError}` : '') || '–' },
            { head: 'delivered / next attempt', cell: (d) => (d.deliveredAt ? fmtTime(d.deliveredAt) : d.waitingFor ? `after ${d.waitingFor}` : d.nextAttemptAt ? `next ${fmtTime(d.nextAttemptAt)}` : '–') },
          ]}
        />
      )}
    </Section>
  );
}
