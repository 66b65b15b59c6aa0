import type { Queryable } from '../../store/db.js';
import { duplicateEmails, emailVariants, invalidEmails } from '../../store/queries/quality-customers.js';
import {
  ancientEvents,
  futureEvents,
  linesWithoutCustomer,
  negativeOrders,
  nonPositivePrices,
  revenueOutliers,
  unmatchedCancellations,
} from '../../store/queries/quality-orders.js';
import { orderConflicts } from '../../store/queries/orders.js';

export const EXAMPLES = 5;

/**
 * Before this moment no web shop took orders (the first ones opened in 1994–1995), so an event dated earlier
 * is a misread date: a zero read as the Unix epoch, or a two-digit year put in the wrong century.
 */
export const EARLIEST_PLAUSIBLE_EVENT = new Date('1995-01-01T00:00:00Z');

/** One data-quality finding: how many, out of what, a few examples, and what exactly was counted. */
export interface QualityCheck {
  id: string;
  title: string;
  count: number;
  /** what count is a part of (lines, orders, customers), when that makes sense */
  out_of?: number;
  details?: Record<string, unknown>;
  examples: unknown[];
  definition: string;
}

export interface QualityReport {
  as_of: Date;
  checks: QualityCheck[];
}

/** Runs every check of docs/quality.md over the store, as of the given time. */
export async function qualityReport(db: Queryable, asOf: Date): Promise<QualityReport> {
  const guests = await linesWithoutCustomer(db);
  const dups = await duplicateEmails(db, EXAMPLES);
  const variants = await emailVariants(db, EXAMPLES);
  const invalid = await invalidEmails(db, EXAMPLES);
  const prices = await nonPositivePrices(db, EXAMPLES);
  const cancels = await unmatchedCancellations(db, EXAMPLES);
  const negative = await negativeOrders(db, EXAMPLES);
  const future = await futureEvents(db, asOf, EXAMPLES);
  const ancient = await ancientEvents(db, EARLIEST_PLAUSIBLE_EVENT, EXAMPLES);
  const outliers = await revenueOutliers(db, EXAMPLES);
  const conflicts = await orderConflicts(db, EXAMPLES);
  const customers = await db.one<{ n: number }>('SELECT count(*) AS n FROM customers WHERE merged_into IS NULL');
  return {
    as_of: asOf,
    checks: [
      {
        id: 'lines_without_customer',
        title: 'Order lines without a customer',
        count: guests.lines,
        out_of: guests.all_lines,
        details: { orders: guests.orders },
        examples: [],
        definition: 'Lines of orders with no customer identifier (guest checkouts); they count in no profile or segment.',
      },
      {
        id: 'duplicate_emails',
        title: 'Customers sharing an email with another customer',
        count: dups.count,
        out_of: customers!.n,
        details: { emails: dups.groups },
        examples: dups.examples,
        definition: 'Live customers holding the same email as another live customer (case and spaces aside), in an identity or the email trait; emails: how many such emails.',
      },
      {
        id: 'email_variants',
        title: 'Same person under email variants',
        count: variants.count,
        examples: variants.examples,
        definition:
          'Groups of live customers whose emails differ as written but are one mailbox after removing +tags and Gmail dots, and whose names agree where known.',
      },
      {
        id: 'invalid_emails',
        title: 'Invalid email traits',
        count: invalid.count,
        out_of: customers!.n,
        examples: invalid.examples,
        definition: 'Email traits not of the form local@domain.tld; they are never used to identify anyone.',
      },
      {
        id: 'non_positive_prices',
        title: 'Lines with a zero or negative price',
        count: prices.count,
        out_of: prices.lines,
        details: { zero: prices.zero, negative: prices.negative },
        examples: prices.examples,
        definition: 'Product lines of sales (not cancellations, not lines of another kind such as shipping, discounts or bad-debt adjustments) whose unit price is 0 or below, out of all product lines of sales.',
      },
      {
        id: 'unmatched_cancellations',
        title: 'Cancellations that match no purchase',
        count: cancels.count,
        out_of: cancels.cancellations,
        examples: cancels.examples,
        definition:
          'Cancellations whose refunded order is not in the store and none of whose products the customer bought at or before the cancellation; guest cancellations never match.',
      },
      {
        id: 'negative_orders',
        title: 'Orders with negative revenue',
        count: negative.count,
        out_of: negative.orders,
        examples: negative.examples,
        definition: 'Orders (not cancellations) whose lines sum below zero: returns or adjustments booked as sales; out of the orders, cancellations not counted.',
      },
      {
        id: 'future_events',
        title: 'Events in the future',
        count: future.count,
        out_of: future.events,
        examples: future.examples,
        definition: 'Events dated after the as-of time (now unless given): wrong clocks or misread dates.',
      },
      {
        id: 'ancient_events',
        title: 'Events dated before 1995',
        count: ancient.count,
        out_of: ancient.events,
        examples: ancient.examples,
        definition:
          'Events dated before 1995-01-01, when no web shop took orders yet: a zero read as a date (1970-01-01) or a two-digit year put in the wrong century. They make cohorts and tenure start decades early.',
      },
      {
        id: 'revenue_outliers',
        title: 'Orders with extreme revenue',
        count: outliers.count,
        out_of: outliers.orders,
        details: { q1: outliers.q1, q3: outliers.q3, low_fence: outliers.low_fence, high_fence: outliers.high_fence },
        examples: outliers.examples,
        definition: "Orders whose revenue is outside Tukey's far-out fences [Q1 − 3·IQR, Q3 + 3·IQR] over all orders.",
      },
      {
        id: 'order_conflicts',
        title: 'Order ids claimed for different customers',
        count: conflicts.count,
        out_of: outliers.orders,
        details: { by_outcome: conflicts.by_outcome },
        examples: conflicts.examples,
        definition:
          'Order ids that two sources gave to different customers. A trusted source (an import, a server key) replaces a browser key\'s claim; a browser claim never displaces a trusted order; two browser claims leave the order to no customer until a trusted source says (docs/security.md).',
      },
    ],
  };
}
