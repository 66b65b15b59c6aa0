import { ONLINE_RETAIL_CODES, ONLINE_RETAIL_PREFIXES } from '../../../domain/line-kinds.js';
import { onlineRetailRows, onlineRetailTyped, type OnlineRetailRole } from '../../../store/queries/import/rows/online-retail.js';
import { locate, type RoleNames } from './columns.js';
import type { ImportFormat } from './types.js';

// The UCI "Online Retail" names, and those of its sequel "Online Retail II" (Invoice, Price, Customer ID).
const ROLES: RoleNames<OnlineRetailRole> = {
  invoice: ['InvoiceNo', 'Invoice'],
  stockCode: ['StockCode'],
  description: ['Description'],
  quantity: ['Quantity'],
  invoiceDate: ['InvoiceDate'],
  unitPrice: ['UnitPrice', 'Price'],
  customerId: ['CustomerID', 'Customer ID'],
  country: ['Country'],
};
const REQUIRED: OnlineRetailRole[] = ['invoice', 'quantity', 'invoiceDate', 'unitPrice', 'customerId'];

export const onlineRetail: ImportFormat = {
  name: 'online-retail',
  detect: (_s, h) => REQUIRED.every((r) => h.find(...ROLES[r]) !== undefined) && h.find(...ROLES.stockCode) !== undefined,
  plan(source, header, options) {
    const { cols, names } = locate(header, ROLES, REQUIRED, source.path, 'online-retail');
    return {
      format: 'online-retail',
      staging: { kind: 'delimited', delimiter: header.delimiter, columns: header.columns.length },
      typed: onlineRetailTyped(cols, names),
      // The data set's prices are in pounds sterling.
      rows: (read) => onlineRetailRows(cols, names, options.currency ?? 'GBP', read),
      // Its stock codes say what is not a product (POST, DOT, M, BANK CHARGES, gift vouchers, ...).
      lineRules: { codes: ONLINE_RETAIL_CODES, prefixes: ONLINE_RETAIL_PREFIXES, names: false },
      orderColumn: cols.invoice,
    };
  },
};
