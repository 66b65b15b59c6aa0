import { useMemo, useState } from 'react';
import { api, seg, type ApiError } from '../../api/client';
import type { CustomerExplanation, CustomerSegments, Profile, Recommendations, Scores, Timeline, TimelineItem } from '../../api/types';
import { asApiError, useApi } from '../../api/useApi';
import { href } from '../../app/router';
import { Chart } from '../../components/Chart';
import { customerName, fmtDay, fmtInt, fmtMoney, fmtNum, fmtPct, fmtTime } from '../../components/format';
import { RecommendationList } from '../../components/customers';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, Section, Stat } from '../../components/notes';
import { ExplanationTree } from '../../components/Explanation';

/**
 * Everything about one customer (any identifier in the address): the profile of `segmint customers
 * show`, the stored scores, the segments they are in with why, recommendations, and the timeline.
 */
export function CustomerPage({ id }: { id: string }) {
  const base = `/v1/customers/${seg(id)}`;
  const profile = useApi<Profile>(base);
  const scores = useApi<Scores>(profile.data ? `${base}/scores` : null);
  const segments = useApi<CustomerSegments>(profile.data ? `${base}/segments` : null, { explain: true });
  const recs = useApi<Recommendations>(profile.data && hasOrders(profile.data.metrics) ? `${base}/recommendations` : null, { n: 5 });

  if (profile.error) {
    return (
      <>
        <h1 tabIndex={-1}>Customer {id}</h1>
        <ErrorNote error={profile.error} what={`No profile for “${id}”`} />
        <p>
          <a href={href(['customers'], { q: id })}>Search for “{id}”</a> instead.
        </p>
      </>
    );
  }
  if (!profile.data) return <Loading what="Loading the profile" />;
  const p = profile.data;
  const name = customerName(p.traits, p.customer_id);
  const m = p.metrics;
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{name}</h1>
        <p className="as-of">
          {p.customer_id} · first seen {fmtDay(p.created_at)} · profile as of {fmtTime(p.as_of)}
        </p>
      </div>
      <div className="grid">
        <Section title="Metrics" id="metrics" wide>
          {hasOrders(m) ? (
            <div className="stats">
              <Stat label="orders" value={fmtInt(m.orders_count)} testId="metric-orders" />
              <Stat label="net spend" value={fmtMoney(m.total_spent)} sub={m.refunded > 0 ? `${fmtMoney(m.refunded)} refunded` : undefined} testId="metric-spent" />
              <Stat label="average order" value={fmtMoney(m.avg_order_value)} />
              <Stat label="last order" value={fmtDay(m.last_order_at)} sub={m.days_since_last_order !== null ? `${fmtNum(m.days_since_last_order, 0)} days ago` : undefined} />
              <Stat label="days between orders" value={fmtNum(m.avg_days_between_orders, 1)} />
              <Stat label="top category" value={m.top_category ?? '–'} />
            </div>
          ) : (
            <Empty title="No orders yet.">Metrics, RFM and lifetime value appear after this customer&apos;s first order.</Empty>
          )}
        </Section>
        <ScoresCard base={base} scores={scores.data} error={scores.error} />
        <Section title="Identities" id="identities">
          <ul className="plain">
            {p.identities.map((i) => (
              <li key={`${i.kind}:${i.value}`}>
                <span className="muted">{i.kind.replace('_', ' ')}</span> {i.value}
              </li>
            ))}
          </ul>
        </Section>
        <Section title="Traits" id="traits">
          {Object.keys(p.traits).length === 0 ? (
            <p className="muted">No traits: they come from identify calls and customer imports.</p>
          ) : (
            <dl className="traits">
              {Object.entries(p.traits).map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
                </div>
              ))}
            </dl>
          )}
        </Section>
        <Section title="Consent" id="consent">
          {p.consent.length === 0 ? (
            <p className="muted">No consent recorded for any channel: exports and emails treat this customer as not asked.</p>
          ) : (
            <DataTable
              label="Consent per channel"
              rows={p.consent}
              rowKey={(c) => c.channel}
              columns={[
                { head: 'channel', cell: (c) => c.channel },
                { head: 'status', cell: (c) => <span className={c.status === 'granted' ? 'up' : 'down'}>{c.status}</span> },
                { head: 'since', cell: (c) => fmtTime(c.updated_at) },
                { head: 'source', cell: (c) => c.source },
              ]}
            />
          )}
        </Section>
        <Section title="Segments" id="customer-segments" wide>
          <ErrorNote error={segments.error} what="Segments could not be evaluated" />
          {segments.loading && <Loading what="Evaluating the saved segments for this customer" />}
          {segments.data && segments.data.segments.length === 0 && <p className="muted">In no saved segment.</p>}
          {segments.data?.segments.map((s) => (
            <details key={s.segment} className="segment-why">
              <summary>
                {s.segment}{' '}
                <span className="muted">
                  {s.member ? 'member' : 'no longer matches'} as of {fmtTime(s.asOf)}
                  {s.refreshWouldRecord ? ` (not yet recorded: refresh the segment)` : ''}
                </span>
              </summary>
              <ExplanationTree node={s.explanation} />
              <p>
                <a href={href(['segments', s.segment])}>Open the segment “{s.segment}”</a>
              </p>
              {s.changesAt && <p className="muted">Changes by itself at {fmtTime(s.changesAt)} if nothing else happens.</p>}
            </details>
          ))}
        </Section>
        <Section title="Recommended next" id="recommendations">
          {!m && <p className="muted">Recommendations need at least one order.</p>}
          <ErrorNote error={recs.error} what="No recommendations" />
          {recs.data && <RecommendationList items={recs.data.recommendations} />}
        </Section>
        <TimelineCard base={base} />
      </div>
    </>
  );
}

function ScoresCard({ base, scores, error }: { base: string; scores: Scores | undefined; error: ApiError | undefined }) {
  const [why, setWhy] = useState<CustomerExplanation>();
  const [whyError, setWhyError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const explain = async () => {
    setBusy(true);
    setWhyError(undefined);
    try {
      setWhy(await api.get<CustomerExplanation>(`${base}/explain`));
    } catch (e) {
      setWhyError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const purchase = scores?.propensity.find((s) => s.target.startsWith('purchase_'));
  const churn = scores?.propensity.find((s) => s.target.startsWith('churn_'));
  return (
    <Section title="Scores" id="scores" wide>
      <ErrorNote error={error} what="Scores could not be loaded" />
      {scores && (
        <div className="stats">
          <Stat label="RFM" value={scores.rfm ? `${scores.rfm.score} · ${scores.rfm.rfm_group}` : '–'} sub={scores.rfm ? `as of ${fmtDay(scores.rfm.as_of)}` : 'not scored: run RFM'} testId="score-rfm" />
          <Stat label="P(alive)" value={scores.clv ? fmtNum(scores.clv.p_alive) : '–'} sub={scores.clv ? `churn risk ${scores.clv.churn_risk}, predicted as of ${fmtDay(scores.clv.as_of)}` : 'no prediction: fit CLV'} testId="score-palive" />
          <Stat label="predicted CLV, 365 days" value={fmtMoney(scores.clv?.predicted_clv_365d)} sub={scores.clv ? `${fmtNum(scores.clv.expected_purchases_90d)} orders expected in 90 days` : undefined} />
          <Stat label="next order expected" value={fmtDay(scores.clv?.next_order_at)} />
          <Stat label={purchase ? `chance of an order (${purchase.target.replace('purchase_', '')})` : 'purchase propensity'} value={purchase ? fmtPct(purchase.probability) : '–'} sub={purchase || churn ? `${churn ? `churn ${churn.target.replace('churn_', '')}: ${fmtPct(churn.probability)}, ` : ''}scored as of ${fmtDay((purchase ?? churn)!.as_of)}` : 'train propensity to score'} />
          <Stat label="cluster" value={scores.cluster?.cluster_name ?? '–'} sub={scores.cluster ? `as of ${fmtDay(scores.cluster.as_of)}` : undefined} />
        </div>
      )}
      <div className="row">
        <button type="button" onClick={() => void explain()} disabled={busy}>
          {busy ? 'Explaining…' : 'Explain these scores in words'}
        </button>
      </div>
      <ErrorNote error={whyError} what="No explanation" />
      {why && (
        <>
          {/* The moment every sentence is of (a stored score above may be of another day: its own "as of"). */}
          <p className="as-of" data-testid="explain-as-of">
            As of {fmtDay(why.asOf)}:
          </p>
          <ul className="sentences" aria-live="polite">
            {why.sentences.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

function TimelineCard({ base }: { base: string }) {
  const [pages, setPages] = useState<Timeline[]>([]);
  const [error, setError] = useState<ApiError>();
  const first = useApi<Timeline>(base + '/timeline', { limit: 30 });
  const all = useMemo(() => [...(first.data?.items ?? []), ...pages.flatMap((p) => p.items)], [first.data, pages]);
  const next = pages.length > 0 ? pages[pages.length - 1]!.next_before : first.data?.next_before;
  const more = async () => {
    try {
      const t = await api.get<Timeline>(base + '/timeline', { limit: 30, before: next ?? undefined });
      setPages((p) => [...p, t]);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const orders = all.filter((i): i is Extract<TimelineItem, { kind: 'order' | 'refund' }> => i.kind !== 'event').reverse();
  const option = useMemo(
    () => ({
      grid: { left: 60, right: 12, top: 12, bottom: 28 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtMoney(v) },
      xAxis: { type: 'category', data: orders.map((o) => fmtDay(o.at)) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', name: 'order value', data: orders.map((o) => ({ value: o.revenue, itemStyle: { color: o.revenue < 0 ? '#be123c' : '#0f766e' } })) }],
    }),
    [orders],
  );
  return (
    <Section title="Timeline" id="timeline" wide>
      <ErrorNote error={first.error ?? error} what="The timeline could not be loaded" />
      <Chart option={option} points={orders.length} height={180} label={`Order values over time: ${orders.length} orders and refunds shown`} empty="No orders in the part of the timeline shown." />
      {first.loading && <Loading what="Loading orders and events" />}
      <ol className="timeline" tabIndex={0} aria-label="Orders and events, newest first">
        {all.map((i) => (
          <li key={i.kind === 'event' ? i.message_id : i.order_id} className={`tl-${i.kind}`}>
            <time dateTime={i.at}>{fmtTime(i.at)}</time>{' '}
            {i.kind === 'event' ? (
              <>
                <strong>{i.event ?? i.type}</strong> <span className="muted">{i.type} · {i.source}</span>
              </>
            ) : (
              <>
                <strong>
                  {i.kind === 'refund' ? 'Refund' : 'Order'} {i.order_id}
                </strong>{' '}
                {fmtMoney(i.revenue)} {i.currency ?? ''}
                {i.lines.length > 0 && <span className="muted"> — {i.lines.map((l) => l.name ?? l.product_id).join(', ')}</span>}
              </>
            )}
          </li>
        ))}
      </ol>
      {all.length === 0 && first.data && <p className="muted">Nothing happened yet.</p>}
      {next && (
        <button type="button" onClick={() => void more()}>
          Show older
        </button>
      )}
    </Section>
  );
}

/** Whether the customer has an order or a refund: one without has the metrics every customer has (0 orders, 0 spent). */
function hasOrders(m: Profile['metrics']): boolean {
  return m.orders_count > 0 || m.refunded !== 0 || m.last_order_at !== null;
}
