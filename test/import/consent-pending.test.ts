import { expect, it } from 'vitest';
import { customerOf, importsOfText } from './helpers.js';

// Shopify's `pending` is a sign-up not confirmed yet: it decides nothing (docs/importing.md). Read as
// denied, it recorded an opt-out for every such customer and overrode an older grant.
const importText = importsOfText();
const HEADER =
  'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,' +
  'Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,' +
  'Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags\n';

it('shopify-customers: pending (any case) records no consent, and yes/no still do', async () => {
  const { report, store } = await importText(
    HEADER +
      "'8001,P,P,p1@x.test,pending,,,,,,,,,,pending,0.00,0,,no,\n" +
      "'8003,R,R,p3@x.test,PENDING,,,,,,,,,,,0.00,0,,no,\n" +
      "'8004,S,S,p4@x.test,yes,,,,,,,,,,no,0.00,0,,no,\n",
    { exportedAt: new Date('2024-06-01T00:00:00Z') },
  );
  expect(report).toMatchObject({ format: 'shopify-customers', skipped: 0 });
  const consentOf = async (email: string) =>
    store.all<{ channel: string; status: string }>('SELECT channel, status FROM consent WHERE customer_id = $1 ORDER BY channel', [(await customerOf(store, 'email', email))!]);
  expect(await consentOf('p1@x.test')).toEqual([]);
  expect(await consentOf('p3@x.test')).toEqual([]);
  expect(await consentOf('p4@x.test')).toEqual([
    { channel: 'email', status: 'granted' },
    { channel: 'sms', status: 'denied' },
  ]);
});

it('generic: pending in a mapped consent column decides nothing and is no error; an unknown word is one', async () => {
  const { report, store } = await importText('user,mail,news\nu1,u1@x.test,pending\nu2,u2@x.test,maybe\nu3,u3@x.test,yes\n', {
    format: 'generic',
    map: ['user=user_id', 'mail=email', 'news=consent.email'],
  });
  expect(report.errors).toEqual([
    { line: 3, reason: 'not a consent value in column "news" (yes/no, true/false, granted/denied, subscribed/unsubscribed; pending decides nothing): maybe' },
  ]);
  expect(await store.all('SELECT i.value, c.status FROM consent c JOIN identities i USING (customer_id) WHERE i.kind = $1 ORDER BY 1', ['user_id'])).toEqual([
    { value: 'u3', status: 'granted' },
  ]);
});
