import { useState, type FormEvent } from 'react';
import { api, seg } from '../../api/client';
import type { Segment, Webhook } from '../../api/types';
import { useAction } from '../../api/useAction';
import { useApi } from '../../api/useApi';
import { DataTable } from '../../components/DataTable';
import { fmtTime } from '../../components/format';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';

/** The webhooks (GET /v1/webhooks), each removable; and the form that adds one (POST /v1/webhooks). */
export function WebhookList({ onShowDeliveries }: { onShowDeliveries: (id: string) => void }) {
  const list = useApi<{ webhooks: Webhook[] }>('/v1/webhooks');
  const [made, setMade] = useState<Webhook>();
  return (
    <>
      <Section title="Webhooks" id="webhook-list" wide>
        <ErrorNote error={list.error} what="Webhooks could not be loaded" />
        {list.loading && !list.data && <Loading what="Loading webhooks" />}
        {list.data && list.data.webhooks.length === 0 && <Empty title="No webhooks yet.">Add one below: choose a segment and the URL that should hear about its entries and exits.</Empty>}
        {list.data && list.data.webhooks.length > 0 && (
          <DataTable
            label="Webhooks"
            rows={list.data.webhooks}
            rowKey={(w) => w.id}
            columns={[
              { head: 'segment', cell: (w) => w.segment ?? '(deleted)' },
              { head: 'URL', cell: (w) => <code className="url">{w.url}</code> },
              { head: 'on', cell: (w) => (w.on === 'both' ? 'entries and exits' : w.on === 'entered' ? 'entries' : 'exits') },
              { head: 'secret', cell: (w) => <code>{w.secret}</code> },
              { head: 'added', cell: (w) => fmtTime(w.createdAt) },
              {
                head: 'actions',
                cell: (w) => (
                  <span className="row">
                    <button type="button" onClick={() => onShowDeliveries(w.id)}>
                      Deliveries
                    </button>
                    <RemoveButton webhook={w} done={list.reload} />
                  </span>
                ),
              },
            ]}
          />
        )}
      </Section>
      <AddWebhook
        onAdded={(w) => {
          setMade(w);
          list.reload();
        }}
      />
      {made && (
        <Section title="Webhook added" id="webhook-made" wide>
          <p role="status">
            Deliveries to <code className="url">{made.url}</code> are signed with this secret, shown only now: <code data-testid="webhook-secret">{made.secret}</code>. Keep it where the
            receiver can check each <code>X-Segmint-Signature</code> (docs/realtime.md).
          </p>
        </Section>
      )}
    </>
  );
}

/** Removes a webhook after a second click that names what goes (DELETE /v1/webhooks/{id}). */
function RemoveButton({ webhook, done }: { webhook: Webhook; done: () => void }) {
  const [asking, setAsking] = useState(false);
  const { busy, error, run } = useAction();
  const remove = () =>
    run(async () => {
      await api.del(`/v1/webhooks/${seg(webhook.id)}`);
      done();
    });
  return (
    <>
      {!asking && (
        <button type="button" className="danger" onClick={() => setAsking(true)} aria-label={`Remove the webhook to ${webhook.url}`}>
          Remove
        </button>
      )}
      {asking && (
        <>
          <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
            Remove it and its pending deliveries
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            Keep
          </button>
        </>
      )}
      <ErrorNote error={error} what="The webhook could not be removed" />
    </>
  );
}

function AddWebhook({ onAdded }: { onAdded: (w: Webhook) => void }) {
  const segments = useApi<Segment[]>('/v1/segments');
  const [form, setForm] = useState({ segment: '', url: '', on: 'both' });
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      onAdded(await api.post<Webhook>('/v1/webhooks', { segment: form.segment, url: form.url.trim(), on: form.on }));
      setForm((f) => ({ ...f, url: '' }));
    });
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <Section title="Add a webhook" id="add-webhook" wide>
      <form className="save" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="hook-segment">Segment</label>
          <select id="hook-segment" value={form.segment} onChange={set('segment')} required>
            <option value="">choose a saved segment</option>
            {segments.data?.map((s) => (
              <option key={s.id} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="hook-url">URL</label>
          <input id="hook-url" type="url" value={form.url} onChange={set('url')} placeholder="https://example.com/hooks/segmint" required aria-describedby={error ? 'hook-error' : undefined} />
        </div>
        <div className="field">
          <label htmlFor="hook-on">On</label>
          <select id="hook-on" value={form.on} onChange={set('on')}>
            <option value="both">entries and exits</option>
            <option value="entered">entries</option>
            <option value="exited">exits</option>
          </select>
        </div>
        <button type="submit" className="primary" disabled={busy || form.segment === '' || form.url.trim() === ''}>
          {busy ? 'Adding…' : 'Add webhook'}
        </button>
      </form>
      <ErrorNote error={error} what="The webhook could not be added" id="hook-error" />
    </Section>
  );
}
