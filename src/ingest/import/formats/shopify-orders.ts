import { shopifyOrderRows, shopifyOrderTyped, type ShopifyOrderRole } from '../../../store/queries/import/rows/shopify-orders.js';
import { locate, type RoleNames } from './columns.js';
import type { ImportFormat } from './types.js';

const ROLES: RoleNames<ShopifyOrderRole> = {
  name: ['Name'],
  email: ['Email'],
  financialStatus: ['Financial Status'],
  paidAt: ['Paid at'],
  createdAt: ['Created at'],
  cancelledAt: ['Cancelled at'],
  currency: ['Currency'],
  subtotal: ['Subtotal'],
  shipping: ['Shipping'],
  taxes: ['Taxes'],
  total: ['Total'],
  discountCode: ['Discount Code'],
  discountAmount: ['Discount Amount'],
  refundedAmount: ['Refunded Amount'],
  acceptsMarketing: ['Accepts Marketing', 'Accepts Email Marketing'],
  lineQuantity: ['Lineitem quantity'],
  lineName: ['Lineitem name'],
  linePrice: ['Lineitem price'],
  lineSku: ['Lineitem sku'],
  billingName: ['Billing Name'],
  billingCity: ['Billing City'],
  billingCountry: ['Billing Country'],
  phone: ['Phone', 'Billing Phone'],
  id: ['Id'],
};
const REQUIRED: ShopifyOrderRole[] = ['name', 'lineQuantity', 'linePrice'];

export const shopifyOrders: ImportFormat = {
  name: 'shopify-orders',
  detect: (_s, h) => h.hasAll(['Name', 'Lineitem quantity', 'Lineitem price']) && (h.has('Financial Status') || h.has('Created at')),
  plan(source, header) {
    const { cols, names } = locate(header, ROLES, REQUIRED, source.path, 'shopify-orders');
    if (cols.createdAt === undefined && cols.paidAt === undefined) {
      locate(header, { createdAt: ['Created at', 'Paid at'] }, ['createdAt'], source.path, 'shopify-orders');
    }
    return {
      format: 'shopify-orders',
      staging: { kind: 'delimited', delimiter: header.delimiter, columns: header.columns.length },
      typed: shopifyOrderTyped(cols, names),
      rows: (read) => shopifyOrderRows(cols, names, read),
      // Line items such as "Shipping protection", "Tip" or "Gift Card" are not products.
      lineRules: { names: true },
      orderColumn: cols.name,
    };
  },
};
