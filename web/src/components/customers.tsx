import { href } from '../app/router';
import type { Column } from './DataTable';
import { customerName, fmtDay, fmtInt, fmtMoney } from './format';

/** What the customer tables show of each customer, whatever endpoint listed them. */
export interface CustomerRowView {
  id: string;
  traits: Record<string, unknown>;
  fallbackName: string;
  orders: number | null;
  spent: number | null;
  lastOrder: string | null;
}

/** The columns every list of customers shares: the name linking to the profile, orders, net spend, last order. */
export function customerColumns<T>(view: (row: T) => CustomerRowView, extra: readonly Column<T>[] = []): Column<T>[] {
  return [
    {
      head: 'customer',
      cell: (r) => {
        const v = view(r);
        return <a href={href(['customers', v.id])}>{customerName(v.traits, v.fallbackName)}</a>;
      },
    },
    ...extra,
    { head: 'orders', num: true, cell: (r) => fmtInt(view(r).orders) },
    { head: 'net spend', num: true, cell: (r) => fmtMoney(view(r).spent) },
    { head: 'last order', cell: (r) => fmtDay(view(r).lastOrder) },
  ];
}

/** A numbered list of recommended products with why each is recommended. */
export function RecommendationList({ items }: { items: readonly { productId: string; name: string | null; reason: string }[] }) {
  return (
    <ol className="recs">
      {items.map((r) => (
        <li key={r.productId}>
          {r.name ?? r.productId} <span className="muted">({r.productId}) — {r.reason}</span>
        </li>
      ))}
    </ol>
  );
}
