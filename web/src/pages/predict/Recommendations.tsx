import { useEffect, useState, type FormEvent } from 'react';
import { seg } from '../../api/client';
import type { CustomerListRow, Recommendations } from '../../api/types';
import { useApi } from '../../api/useApi';
import { href } from '../../app/router';
import { RecommendationList } from '../../components/customers';
import { fmtPct } from '../../components/format';
import { ErrorNote, Loading, Section } from '../../components/notes';

interface Evaluation {
  split: string;
  n: number;
  customers: number;
  cooccurrence: { hits: number; hitRate: number };
  popularity: { hits: number; hitRate: number };
}

/** Products for one customer (GET /v1/customers/{id}/recommendations) and how well recommending did. */
export function RecommendationsCard({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const [who, setWho] = useState(initial);
  // Without a customer named in the address, start from the customer with the highest net spend.
  const top = useApi<{ customers: CustomerListRow[] }>(initial ? null : '/v1/customers', { limit: 1 });
  useEffect(() => {
    const first = top.data?.customers[0];
    if (first && first.orders_count > 0 && who === '') {
      setText(first.email ?? first.customer_id);
      setWho(first.customer_id);
    }
  }, [top.data, who]);
  const recs = useApi<Recommendations>(who ? `/v1/customers/${seg(who)}/recommendations` : null, { n: 10 });
  const evaluation = useApi<Evaluation>('/v1/recommendations/evaluation', { n: 10 });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setWho(text.trim());
  };
  return (
    <Section title="Recommendations" id="recommendations" wide>
      {evaluation.data && (
        <p className="muted">
          Tested on each customer&apos;s next order after {evaluation.data.split.slice(0, 10)} ({evaluation.data.customers} customers): at least one of the {evaluation.data.n} recommended
          products was bought by {fmtPct(evaluation.data.cooccurrence.hitRate)}, against {fmtPct(evaluation.data.popularity.hitRate)} for best-sellers.
        </p>
      )}
      <ErrorNote error={evaluation.error} what="Recommendations could not be evaluated" />
      <form className="row" onSubmit={submit}>
        <label htmlFor="rec-customer">Customer (any identifier)</label>
        <input id="rec-customer" value={text} onChange={(e) => setText(e.target.value)} placeholder="email, user id, customer id…" />
        <button type="submit">Recommend</button>
      </form>
      <ErrorNote error={recs.error} what={`No recommendations for “${who}”`} />
      {recs.loading && <Loading what="Finding products" />}
      {recs.data && (
        <>
          <p>
            For <a href={href(['customers', recs.data.customerId])}>{recs.data.customerId}</a> ({recs.data.ordersSoFar} orders so far):
          </p>
          <RecommendationList items={recs.data.recommendations} />
        </>
      )}
    </Section>
  );
}
