import type { FieldDef } from './field.js';

const m = (name: string, type: FieldDef['type'], description: string, dflt?: number): FieldDef => ({
  name,
  type,
  description,
  table: 'customer_metrics',
  column: name,
  ...(dflt !== undefined ? { default: dflt } : {}),
});

/**
 * The standard customer metrics (definitions: docs/metrics.md). A customer without orders has no
 * customer_metrics row: counts and sums are then 0, everything else is missing.
 */
export const metricFields: readonly FieldDef[] = [
  m('orders_count', 'number', 'Number of orders, cancellations excluded.', 0),
  m('total_spent', 'number', 'Net spend: order lines minus cancellations.', 0),
  m('gross_revenue', 'number', 'Sum of the orders, cancellations excluded.', 0),
  m('refunded', 'number', 'Sum of the cancellations, as a positive amount.', 0),
  m('avg_order_value', 'number', 'gross_revenue / orders_count; missing without orders.'),
  m('first_order_at', 'timestamp', 'Time of the first order (UTC).'),
  m('last_order_at', 'timestamp', 'Time of the latest order (UTC).'),
  m('avg_days_between_orders', 'number', 'Average days between orders; missing with fewer than 2 orders.'),
  m('distinct_products', 'number', 'Number of distinct products bought.', 0),
  m('top_category', 'string', 'The category with the most spent on it.'),
  {
    name: 'days_since_last_order',
    type: 'number',
    description: 'Fractional days from last_order_at to as_of; missing without orders.',
    table: 'customer_metrics',
    column: 'last_order_at',
    derive: 'days_since',
  },
];
