import { HELLO, HTML_PRODUCTS, HTML_RECOMMENDATIONS, TEXT_PRODUCTS, TEXT_RECOMMENDATIONS, htmlLayout, textFooter } from './layout.js';

/** A parameter of a template: its default and what it sets. */
export interface TemplateParam {
  readonly default: string;
  readonly description: string;
}

/** A ready-made workflow: a definition document made from parameters (docs/workflows.md, "Templates"). */
export interface WorkflowTemplate {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, TemplateParam>>;
  /** a segment the trigger needs, made when missing (name → definition in the segment language) */
  readonly segment?: (p: Readonly<Record<string, string>>) => { name: string; query: string } | undefined;
  build(p: Readonly<Record<string, string>>): Record<string, unknown>;
}

const common = {
  from: { default: 'shop@example.com', description: 'the sender address (or "Shop <shop@example.com>")' },
  shop: { default: 'our shop', description: 'the shop name shown in the emails' },
} as const;

const rfmSegment = (name: string, group: string) => (p: Readonly<Record<string, string>>) =>
  p.segment === name ? { name, query: `rfm.group = "${group}"` } : undefined;

const email = (p: Readonly<Record<string, string>>, subject: string, html: string, text: string) => ({
  from: p.from!,
  subject,
  html: htmlLayout(p.shop!, html),
  text: text + textFooter(p.shop!),
});

const discountLine = (p: Readonly<Record<string, string>>) => (p.discount && p.discount !== '0' && p.discount !== 'none' ? `${p.discount} off with the code ${p.code}` : '');

export const TEMPLATES: readonly WorkflowTemplate[] = [
  {
    name: 'abandoned-cart',
    description: 'A checkout without an order: a reminder after 1 hour, a second with the cart\'s products after 1 day, unless they buy (one run per cart)',
    params: {
      ...common,
      delay: { default: '1h', description: 'time after the checkout before the first reminder' },
      second_delay: { default: '1d', description: 'time after the first reminder before the second' },
      discount: { default: 'none', description: 'a discount for the second reminder, e.g. 10%' },
      code: { default: 'CART10', description: 'the discount code' },
      key: { default: 'checkout_id', description: 'the property that identifies the cart' },
    },
    build: (p) => ({
      description: 'Remind shoppers who started a checkout and did not order.',
      trigger: { event: 'Checkout Started', key: p.key },
      goal: 'performed "Order Completed"',
      steps: [
        { id: 'wait-for-order', wait: { event: 'Order Completed', key: p.key, timeout: p.delay, on_event: [{ exit: 'ordered' }] } },
        {
          id: 'reminder',
          email: email(
            p,
            '{{ traits.first_name | default: "Hi" }}, you left something in your cart',
            `<p>${HELLO}</p><p>Your cart is waiting for you:</p>${HTML_PRODUCTS}<p>It is saved — finish your order whenever you like.</p>`,
            `${HELLO}\n\nYour cart is waiting for you:\n${TEXT_PRODUCTS}\nIt is saved — finish your order whenever you like.`,
          ),
        },
        { id: 'wait-again', wait: { event: 'Order Completed', key: p.key, timeout: p.second_delay, on_event: [{ exit: 'ordered' }] } },
        {
          id: 'second-reminder',
          email: email(
            p,
            'Still thinking it over?',
            `<p>${HELLO}</p><p>These are still in your cart:</p>${HTML_PRODUCTS}${discountLine(p) ? `<p><strong>${discountLine(p)}.</strong></p>` : ''}`,
            `${HELLO}\n\nThese are still in your cart:\n${TEXT_PRODUCTS}${discountLine(p) ? `\n${discountLine(p)}.` : ''}`,
          ),
        },
      ],
    }),
  },
  {
    name: 'win-back',
    description: 'A good customer slips into "At Risk": a personal offer, a last reminder a week later; 10% held out to measure the lift',
    params: {
      ...common,
      segment: { default: 'At Risk', description: 'the segment whose entrants are won back (made from the RFM group when missing)' },
      discount: { default: '15%', description: 'the offer' },
      code: { default: 'COMEBACK', description: 'the discount code' },
      delay: { default: '7d', description: 'time before the last reminder' },
      holdout: { default: '10%', description: 'share of entrants who get nothing, to measure the lift' },
    },
    segment: rfmSegment('At Risk', 'At Risk'),
    build: (p) => ({
      description: 'Win back customers who were good and are slipping away.',
      trigger: { entered: p.segment },
      reentry: { once_per: '90d' },
      goal: 'performed "Order Completed"',
      holdout: p.holdout,
      steps: [
        {
          id: 'offer',
          email: email(
            p,
            'We miss you, {{ traits.first_name | default: "friend" }}',
            `<p>${HELLO}</p><p>It has been a while. Come back for ${p.discount} off your next order with the code <strong>${p.code}</strong>.</p>${HTML_RECOMMENDATIONS}`,
            `${HELLO}\n\nIt has been a while. Come back for ${p.discount} off your next order with the code ${p.code}.\n\n${TEXT_RECOMMENDATIONS}`,
          ),
        },
        { id: 'wait', wait: p.delay },
        {
          id: 'last-chance',
          email: email(
            p,
            `Your ${p.discount} is waiting`,
            `<p>${HELLO}</p><p>A last reminder: ${p.discount} off with <strong>${p.code}</strong>.</p>`,
            `${HELLO}\n\nA last reminder: ${p.discount} off with ${p.code}.`,
          ),
        },
      ],
    }),
  },
  {
    name: 'welcome-series',
    description: 'After a customer\'s first order: a welcome at once, ideas 3 days later, an offer for the second order a week after',
    params: {
      ...common,
      first_delay: { default: '3d', description: 'time before the second email' },
      second_delay: { default: '7d', description: 'time before the third email' },
      discount: { default: '10%', description: 'the offer for the second order' },
      code: { default: 'WELCOME10', description: 'the discount code' },
    },
    build: (p) => ({
      description: 'Welcome new customers after their first order.',
      trigger: { event: 'Order Completed' },
      reentry: 'once',
      goal: 'performed "Order Completed" at least 2 times',
      steps: [
        { id: 'first-order', branch: { if: 'orders_count <= 1', else: [{ exit: 'not a first order' }] } },
        {
          id: 'welcome',
          email: email(
            p,
            `Welcome to ${p.shop}`,
            `<p>${HELLO}</p><p>Thank you for your first order. We are glad to have you.</p>`,
            `${HELLO}\n\nThank you for your first order. We are glad to have you.`,
          ),
        },
        { wait: p.first_delay },
        {
          id: 'ideas',
          email: email(p, 'Ideas for you', `<p>${HELLO}</p>${HTML_RECOMMENDATIONS}`, `${HELLO}\n\n${TEXT_RECOMMENDATIONS}`),
        },
        { wait: p.second_delay },
        {
          id: 'second-order',
          email: email(
            p,
            `${p.discount} off your second order`,
            `<p>${HELLO}</p><p>Here is ${p.discount} off your next order: <strong>${p.code}</strong>.</p>`,
            `${HELLO}\n\nHere is ${p.discount} off your next order: ${p.code}.`,
          ),
        },
      ],
    }),
  },
  {
    name: 'post-purchase',
    description: 'Cross-sell: 14 days after an order, products bought together with what they bought',
    params: {
      ...common,
      delay: { default: '14d', description: 'time after the order' },
    },
    build: (p) => ({
      description: 'Recommend products that go with a recent purchase.',
      trigger: { event: 'Order Completed' },
      reentry: { once_per: '30d' },
      steps: [
        { wait: p.delay },
        {
          id: 'cross-sell',
          email: email(
            p,
            'Goes well with your last order',
            `<p>${HELLO}</p><p>Customers who bought what you bought also liked these.</p>${HTML_RECOMMENDATIONS}`,
            `${HELLO}\n\nCustomers who bought what you bought also liked these.\n\n${TEXT_RECOMMENDATIONS}`,
          ),
        },
      ],
    }),
  },
  {
    name: 'vip-thank-you',
    description: 'A customer becomes a Champion: tag them vip and say thank you (no discount needed)',
    params: {
      ...common,
      segment: { default: 'Champions', description: 'the segment whose entrants are thanked (made from the RFM group when missing)' },
      tag: { default: 'vip', description: 'the tag given' },
    },
    segment: rfmSegment('Champions', 'Champions'),
    build: (p) => ({
      description: 'Thank the best customers when they become Champions.',
      trigger: { entered: p.segment },
      reentry: { once_per: '365d' },
      steps: [
        { id: 'tag', tag: p.tag },
        { id: 'remember', set_trait: { vip_since: '{{ now }}' } },
        {
          id: 'thank-you',
          email: email(
            p,
            'Thank you, {{ traits.first_name | default: "friend" }}',
            `<p>${HELLO}</p><p>You are one of our very best customers{% if metrics.orders_count %} — {{ metrics.orders_count }} orders so far{% endif %}. Thank you. You will hear about new collections before anyone else.</p>`,
            `${HELLO}\n\nYou are one of our very best customers{% if metrics.orders_count %} — {{ metrics.orders_count }} orders so far{% endif %}. Thank you. You will hear about new collections before anyone else.`,
          ),
        },
      ],
    }),
  },
];
