import type { ReaderFor } from '../../../../ingest/import/formats/types.js';
import type { TypedField } from '../../../../ingest/import/layouts/types.js';
import type { RowsQuery } from './schema.js';
import { Binds, consent, firstError, id, text, type Columns } from './sql.js';

export type ShopifyCustomerRole =
  | 'customerId' | 'firstName' | 'lastName' | 'email' | 'acceptsEmail' | 'acceptsSms' | 'company'
  | 'address1' | 'address2' | 'city' | 'province' | 'country' | 'zip' | 'phone' | 'addressPhone'
  | 'totalSpent' | 'totalOrders' | 'note' | 'taxExempt' | 'tags';

/** Total Spent and Total Orders, read as numbers. */
export function shopifyCustomerTyped(cols: Columns<ShopifyCustomerRole>, names: Readonly<Record<ShopifyCustomerRole, string>>): TypedField[] {
  return (['totalSpent', 'totalOrders'] as const)
    .filter((r) => cols[r] !== undefined)
    .map((r) => ({ key: r, column: names[r], type: 'number' as const, expr: text(cols[r]) }));
}

/**
 * Shopify's customers export (current or legacy header): one row per customer, identified by its
 * Customer ID (external:shopify) and Email. Marketing columns become consent; everything else traits.
 * Shopify prefixes ids and phone numbers with an apostrophe so spreadsheets keep them as text; it is
 * dropped. Shopify's own Total Spent / Total Orders are kept as shopify_total_spent / _orders traits:
 * segmint's metrics come from the orders it has.
 */
export function shopifyCustomerRows(cols: Columns<ShopifyCustomerRole>, read: ReaderFor): RowsQuery {
  const b = new Binds();
  const v = read(b);
  const t = (role: ShopifyCustomerRole): string => `NULLIF(ltrim(${id(cols[role])}, ''''), '')`;
  const numbers = (['totalSpent', 'totalOrders'] as const).filter((r) => cols[r] !== undefined);
  const err = firstError([
    ['id IS NULL AND email IS NULL', b.add('no Customer ID and no Email')],
    ...numbers.flatMap((r) => v.problems(r, `${r}_value`, 'not a number', `${r}_raw`).map(([c, m]) => [`${r}_raw IS NOT NULL AND ${c}`, m] as [string, string])),
  ]);
  const sql = `
    WITH src AS (
      SELECT line, ${t('customerId')} AS id, lower(${t('email')}) AS email,
        ${t('firstName')} AS first_name, ${t('lastName')} AS last_name, ${t('company')} AS company,
        ${t('address1')} AS address1, ${t('address2')} AS address2, ${t('city')} AS city,
        ${t('province')} AS province, upper(${t('country')}) AS country, ${t('zip')} AS zip,
        coalesce(${t('phone')}, ${t('addressPhone')}) AS phone,
        ${text(cols.totalSpent)} AS totalSpent_raw, ${text(cols.totalOrders)} AS totalOrders_raw,
        ${cols.totalSpent !== undefined ? v.number('totalSpent') : 'NULL::DECIMAL(18,4)'} AS totalSpent_value,
        ${cols.totalOrders !== undefined ? v.number('totalOrders') : 'NULL::DECIMAL(18,4)'} AS totalOrders_value,
        ${t('note')} AS note, ${consent(t('taxExempt'))} = 'granted' AS tax_exempt,
        list_filter(list_transform(string_split(${t('tags')}, ','), x -> trim(x)), x -> x <> '') AS tags,
        ${consent(t('acceptsEmail'))} AS consent_email, ${consent(t('acceptsSms'))} AS consent_sms
      FROM imp_raw
    )
    SELECT line, ${err} AS error, email,
      CASE WHEN id IS NOT NULL THEN 'external:shopify' END AS ext_kind, id AS ext_value,
      json_merge_patch('{}', json_object('first_name', first_name, 'last_name', last_name, 'email', email,
        'phone', phone, 'company', company, 'address1', address1, 'address2', address2, 'city', city,
        'province', province, 'country', country, 'zip', zip, 'tags', tags, 'note', note,
        'tax_exempt', tax_exempt, 'shopify_total_spent', totalSpent_value::DOUBLE, 'shopify_total_orders', TRY_CAST(totalOrders_value AS BIGINT))) AS traits,
      consent_email, consent_sms
    FROM src`;
  return { sql, params: b.values };
}
