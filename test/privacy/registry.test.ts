import { describe, expect, it } from 'vitest';
import { registryProblems } from '../../src/privacy/registry-check.js';
import { storePerTest } from '../helpers/store.js';

/**
 * Erasure removes exactly the rows the person-data registry finds, so the registry must cover every table:
 * this test fails as soon as a migration adds a table with a customer_id (or another person column)
 * without a line in src/store/queries/privacy/person-data.ts.
 */
describe('person-data registry', () => {
  const store = storePerTest();

  it('covers every table of the schema, and every condition runs', async () => {
    expect(await registryProblems(await store())).toEqual([]);
  });

  it('fails for a new table holding customer ids, for one holding emails, and for one not classified at all', async () => {
    const s = await store();
    await s.run('CREATE TABLE loyalty_points (customer_id VARCHAR, points INTEGER)');
    await s.run('CREATE TABLE newsletter_signups (email VARCHAR, signed_up_at TIMESTAMP)');
    await s.run('CREATE TABLE shipping_zones (zone VARCHAR)');
    await s.run('CREATE TABLE referrals (referrer_customer_id VARCHAR)');
    const problems = await registryProblems(s);
    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('loyalty_points'))).toMatch(/person column \(customer_id\).*byCustomer\('loyalty_points'\)/);
    expect(problems.find((p) => p.startsWith('newsletter_signups'))).toMatch(/person column \(email\)/);
    expect(problems.find((p) => p.startsWith('referrals'))).toMatch(/person column \(referrer_customer_id\)/);
    expect(problems.find((p) => p.startsWith('shipping_zones'))).toMatch(/neither PERSON_TABLES nor NON_PERSON_TABLES/);
  });
});
