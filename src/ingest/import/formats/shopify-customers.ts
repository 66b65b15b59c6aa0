import { shopifyCustomerRows, shopifyCustomerTyped, type ShopifyCustomerRole } from '../../../store/queries/import/rows/shopify-customers.js';
import { locate, type RoleNames } from './columns.js';
import type { ImportFormat } from './types.js';

// Current export names first, then the legacy ones (before Shopify split email and SMS consent).
const ROLES: RoleNames<ShopifyCustomerRole> = {
  customerId: ['Customer ID', 'ID', 'Id'],
  firstName: ['First Name'],
  lastName: ['Last Name'],
  email: ['Email'],
  acceptsEmail: ['Accepts Email Marketing', 'Accepts Marketing'],
  acceptsSms: ['Accepts SMS Marketing'],
  company: ['Default Address Company', 'Company'],
  address1: ['Default Address Address1', 'Address1'],
  address2: ['Default Address Address2', 'Address2'],
  city: ['Default Address City', 'City'],
  province: ['Default Address Province Code', 'Province Code', 'Province'],
  country: ['Default Address Country Code', 'Country Code', 'Country'],
  zip: ['Default Address Zip', 'Zip'],
  phone: ['Phone'],
  addressPhone: ['Default Address Phone'],
  totalSpent: ['Total Spent'],
  totalOrders: ['Total Orders'],
  note: ['Note'],
  taxExempt: ['Tax Exempt'],
  tags: ['Tags'],
};

export const shopifyCustomers: ImportFormat = {
  name: 'shopify-customers',
  detect: (_s, h) =>
    h.hasAll(['First Name', 'Last Name', 'Email']) && (h.has('Total Spent') || h.has('Accepts Email Marketing') || h.has('Accepts Marketing')),
  plan(source, header) {
    const { cols, names } = locate<ShopifyCustomerRole>(header, ROLES, [], source.path, 'shopify-customers');
    return {
      format: 'shopify-customers',
      staging: { kind: 'delimited', delimiter: header.delimiter, columns: header.columns.length },
      typed: shopifyCustomerTyped(cols, names),
      rows: (read) => shopifyCustomerRows(cols, read),
      lineRules: { names: false },
    };
  },
};
