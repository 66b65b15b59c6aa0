import { useEffect, useState, type FormEvent } from 'react';
import type { CustomerListRow, SearchHit } from '../../api/types';
import { useApi } from '../../api/useApi';
import type { PageProps } from '../../app/pages';
import { href, navigate } from '../../app/router';
import { customerColumns } from '../../components/customers';
import { DataTable } from '../../components/DataTable';
import { fmtInt } from '../../components/format';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';

const PAGE = 25;

/**
 * Search customers by any identifier (GET /v1/customers?q=…, `segmint customers search`); without a
 * search, the customers with the highest net spend (`segmint customers list`), a page at a time.
 */
export function SearchPage({ route }: PageProps) {
  const q = route.query.get('q') ?? '';
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const search = useApi<{ query: string; hits: SearchHit[] }>(q ? '/v1/customers' : null, { q, limit: 50 });
  const list = useApi<{ customers: CustomerListRow[] }>(q ? null : '/v1/customers', { limit: PAGE, offset });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(href(['customers'], { q: text.trim() }));
  };
  const exact = search.data?.hits.filter((h) => h.matched.exact) ?? [];
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Customers</h1>
      </div>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor="customer-search">Find a customer by email, user id, anonymous id, order id, customer id or name</label>
        <div className="row">
          <input id="customer-search" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="ann@example.com, 1000042, an order id…" />
          <button type="submit" className="primary">
            Search
          </button>
        </div>
        {exact.length === 1 && search.data!.hits.length === 1 && (
          <p>
            One customer has this identifier: <a href={href(['customers', exact[0]!.customer_id])}>open the profile</a>.
          </p>
        )}
      </form>
      {q ? (
        <Section title={`Customers matching “${q}”`} id="results" wide>
          <ErrorNote error={search.error} what="The search failed" />
          {search.loading && <Loading what="Searching" />}
          {search.data && search.data.hits.length === 0 && (
            <Empty title="Nobody matches.">Search by a whole identifier (an email, a user id, an order id) or the start of one, or of a name.</Empty>
          )}
          {search.data && search.data.hits.length > 0 && (
            <DataTable
              label="Search results"
              rows={search.data.hits}
              rowKey={(h) => h.customer_id}
              columns={customerColumns(
                (h: SearchHit) => ({ id: h.customer_id, traits: h.traits, fallbackName: h.email ?? h.customer_id, orders: h.orders_count, spent: h.total_spent, lastOrder: h.last_order_at }),
                [{ head: 'matched', cell: (h) => `${h.matched.kind.replace('_', ' ')}: ${h.matched.value}${h.matched.exact ? '' : ' (starts with)'}` }],
              )}
            />
          )}
        </Section>
      ) : (
        <Section title="Customers by net spend" id="list" wide>
          <ErrorNote error={list.error} what="The customer list could not be loaded" />
          {list.loading && !list.data && <Loading what="Loading customers" />}
          {list.data && list.data.customers.length === 0 && offset === 0 && (
            <Empty title="No customers yet.">
              Import orders or customers on the <a href={href(['data'])}>Data</a> page, or send events to <code>POST /v1/identify</code>.
            </Empty>
          )}
          {list.data && list.data.customers.length > 0 && (
            <>
              <DataTable
                label="Customers by net spend"
                rows={list.data.customers}
                rowKey={(c) => c.customer_id}
                columns={customerColumns(
                  (c: CustomerListRow) => ({ id: c.customer_id, traits: c.traits, fallbackName: c.customer_id, orders: c.orders_count, spent: c.total_spent, lastOrder: c.last_order_at }),
                  [{ head: 'email', cell: (c) => c.email ?? '–' }],
                )}
              />
              <Pager offset={offset} size={PAGE} got={list.data.customers.length} to={(o) => href(['customers'], { offset: String(o) })} />
            </>
          )}
        </Section>
      )}
    </>
  );
}

export function Pager({ offset, size, got, total, to }: { offset: number; size: number; got: number; total?: number; to: (offset: number) => string }) {
  const end = offset + got;
  return (
    <nav className="pager" aria-label="Pages of the table">
      {offset > 0 ? <a href={to(Math.max(0, offset - size))}>Previous</a> : <span className="muted">Previous</span>}
      <span>
        {got === 0 ? 'none' : `${fmtInt(offset + 1)}–${fmtInt(end)}`}
        {total !== undefined ? ` of ${fmtInt(total)}` : ''}
      </span>
      {(total !== undefined ? end < total : got === size) ? <a href={to(offset + size)}>Next</a> : <span className="muted">Next</span>}
    </nav>
  );
}
