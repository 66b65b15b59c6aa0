import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditScores } from '../../src/analytics/fairness/audit-scores.js';
import { auditAttribute, auditSegment } from '../../src/analytics/fairness/audit-segment.js';
import { chiSquaredIndependence } from '../../src/analytics/fairness/chi-squared.js';
import { formatSegmentAudit } from '../../src/analytics/fairness/format.js';
import { representation } from '../../src/analytics/fairness/representation.js';
import { validatePropensity } from '../../src/predict/propensity/validate.js';
import { auc } from '../../src/predict/stats/auc.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { sharedFile, skipWithoutShared } from '../helpers/shared-data.js';
import { onlineRetailStore } from '../helpers/fixtures.js';
import { basic } from '../server/helpers.js';

describe('chi-squared test of independence', () => {
  // Pinned against scipy 1.17.1: scipy.stats.chi2_contingency(np.array(table), correction=False)
  // → (statistic, dof, pvalue, expected_freq.min()).
  it.each([
    [[[10, 20], [30, 40], [5, 25]], 6.392779333956, 2, 0.040909635087, 10.384615],
    [[[12, 5], [7, 14]], 5.21568627451, 1, 0.022384010692, 8.5],
    // a row with no one is dropped first (scipy refuses it; the result is that of [[3, 0], [5, 2]])
    [[[3, 0], [0, 0], [5, 2]], 1.071428571429, 1, 0.300622988197, 0.6],
  ])('%j matches scipy', (table, chi, df, p, minExpected) => {
    const t = chiSquaredIndependence(table);
    expect(t.chiSquare).toBeCloseTo(chi, 9);
    expect(t.df).toBe(df);
    expect(t.pValue!).toBeCloseTo(p, 9);
    expect(t.minExpected).toBeCloseTo(minExpected, 5);
  });

  it('has nothing to test when everyone or no one is in the segment', () => {
    expect(chiSquaredIndependence([[10, 0], [5, 0]]).pValue).toBeNull();
    expect(chiSquaredIndependence([[4, 6]]).pValue).toBeNull();
  });
});

describe('representation and the four-fifths rule', () => {
  it('compares rates with the base and with the most selected large group, by hand', () => {
    // base rate 60/200 = 0.3; A 40/100 = 0.4 (highest large group); B 15/80 = 0.1875; C 5/20 small
    const r = representation(
      [
        { group: 'A', base: 100, members: 40 },
        { group: 'B', base: 80, members: 15 },
        { group: 'C', base: 20, members: 5 },
      ],
      30,
    );
    expect(r.rate).toBeCloseTo(0.3, 12);
    expect(r.highest).toBe('A');
    const [a, b, c] = r.groups;
    expect(a!.representationRatio).toBeCloseTo(0.4 / 0.3, 12);
    expect(b!.representationRatio).toBeCloseTo(0.1875 / 0.3, 12);
    expect(b!.impactRatio).toBeCloseTo(0.1875 / 0.4, 12);
    expect(b!.belowFourFifths).toBe(true);
    expect(a!.belowFourFifths).toBe(false);
    expect(c!.small).toBe(true);
    expect(c!.impactRatio).toBeNull();
    expect(b!.shareOfSegment).toBeCloseTo(15 / 60, 12);
    expect(b!.shareOfBase).toBeCloseTo(80 / 200, 12);
  });

  it('says it in plain words, and names the groups too small to compare', () => {
    const a = auditAttribute(
      { name: 'country', kind: 'trait', label: (g) => g ?? '(no country)' },
      [
        { group: 'United Kingdom', base: 400, members: 120 },
        { group: 'Germany', base: 100, members: 18 },
        { group: null, base: 50, members: 15 },
        { group: 'Malta', base: 3, members: 0 },
      ],
      30,
    );
    // by hand: base rate 153/553 = 27.67%; Germany 18/100 = 18%, 0.18 / 0.2767 = 0.65; UK 120/400 = 30%, 0.18 / 0.30 = 0.60
    expect(a.flags).toContain('Customers in Germany are 0.65× as likely to be in this segment as the base (18.0% of them, 27.7% of all customers).');
    expect(a.flags).toContain('Customers in Germany fail the four-fifths rule: their rate is 0.60 of that of the most selected group (United Kingdom, 30.0%).');
    expect(a.flags.at(-1)).toBe('1 group with fewer than 30 customers is not compared one by one (merged as "other groups" for the test): Malta.');
    expect(a.groups.find((g) => g.missing)!.group).toBe('(no country)');
    expect(a.test.mergedGroups).toEqual(['Malta']);
  });
});

const retail = sharedFile('online-retail.csv.gz');

describe.skipIf(!retail)(`fairness audit on Online Retail ${retail ? '' : skipWithoutShared('online-retail.csv.gz')}`, () => {
  // A copy of the Online Retail file imported once per test run (onlineRetailStore), which several files
  // share: importing its 541,909 lines here again took most of this file's time.
  const db = {} as { store: Store };
  let cleanup = (): void => undefined;
  beforeAll(async () => {
    const t = await onlineRetailStore(retail!);
    ({ store: db.store, cleanup } = t);
    await createSegment(db.store, { name: 'loyal', definition: { query: 'orders_count >= 5' } });
    await createSegment(db.store, { name: 'returning', definition: { query: 'orders_count >= 2' } });
    await refreshSegments(db.store, { asOf: new Date('2011-12-10T00:00:00Z') });
  }, 300_000);
  afterAll(() => cleanup());

  /*
   * The reference is computed from the raw file, without segmint, by a short Python script: per
   * CustomerID ("17850.0" → "17850"), the distinct invoices not starting with "C" (orders), and the
   * Country of the customer's latest row (by InvoiceDate, then line); members are customers with at
   * least 5 (resp. 2) orders; countries with fewer than 30 (resp. 10) customers are merged into one row;
   * then scipy 1.17.1 `scipy.stats.chi2_contingency(np.array(table), correction=False)` on the table of
   * [members, non-members] per country.
   *   orders ≥ 5, min 30: table [[1008,2942],[29,66],[27,60],[6,24],[45,165]] → χ² 4.9764911636, dof 4,
   *     p 0.289718165806; Spain rate 0.2, ratio 0.7842152466, impact 0.6444444444 (France highest).
   *   orders ≥ 2, min 10: 10 countries and "other" → χ² 9.8270607303, dof 10, p 0.455794749990;
   *     Italy ratio 0.6146924429, impact 0.5333333333 (Switzerland highest).
   */
  it('matches scipy on loyal customers (5+ orders) by country', async () => {
    const a = await auditSegment(db.store, 'loyal', 'country');
    expect([a.base, a.members]).toEqual([4372, 1115]);
    const c = a.attributes[0]!;
    expect(c.groups.filter((g) => !g.small).map((g) => [g.group, g.base, g.members])).toEqual([
      ['United Kingdom', 3950, 1008],
      ['Germany', 95, 29],
      ['France', 87, 27],
      ['Spain', 30, 6],
    ]);
    expect(c.test.chiSquare).toBeCloseTo(4.9764911636, 8);
    expect(c.test.df).toBe(4);
    expect(c.test.pValue!).toBeCloseTo(0.289718165806, 9);
    expect(c.test.mergedGroups).toHaveLength(33);
    const spain = c.groups.find((g) => g.group === 'Spain')!;
    expect(spain.representationRatio).toBeCloseTo(0.7842152466, 9);
    expect(spain.impactRatio!).toBeCloseTo(0.6444444444, 9);
    expect(c.highest).toBe('France');
    expect(c.flags).toContain('No evidence that membership differs by country (χ² = 4.98, 4 degrees of freedom, p = 0.29).');
    expect(c.flags).toContain('Customers in Spain are 0.78× as likely to be in this segment as the base (20.0% of them, 25.5% of all customers).');
    expect(formatSegmentAudit(a)).toContain('Read with care:');
  });

  it('matches scipy on returning customers (2+ orders) by country with groups of 10', async () => {
    const c = (await auditSegment(db.store, 'returning', ['country'], { minGroup: 10 })).attributes[0]!;
    expect(c.test.chiSquare).toBeCloseTo(9.8270607303, 8);
    expect(c.test.df).toBe(10);
    expect(c.test.pValue!).toBeCloseTo(0.45579474999, 9);
    const italy = c.groups.find((g) => g.group === 'Italy')!;
    expect(italy.representationRatio).toBeCloseTo(0.6146924429, 9);
    expect(italy.impactRatio!).toBeCloseTo(0.5333333333, 9);
    expect(c.flags).toContain('Customers in Italy are 0.61× as likely to be in this segment as the base (40.0% of them, 65.1% of all customers).');
    expect(c.test.minExpected).toBeLessThan(5);
    expect(c.flags[0]).toMatch(/Some expected counts are below 5/);
  });

  it('bins a metric into groups of equal share of the base', async () => {
    const t = (await auditSegment(db.store, 'loyal', 'total_spent')).attributes[0]!;
    expect(t.groups.map((g) => g.base)).toEqual([1093, 1093, 1093, 1093]);
    expect(t.groups[0]!.group).toMatch(/^total_spent ≤ /);
    expect(t.groups[3]!.group).toMatch(/^total_spent > /);
    expect(t.test.pValue!).toBeLessThan(1e-6);
  });

  it('audits purchase and churn scores per country: per-group AUC and calibration of the same time split as validation', async () => {
    const a = await auditScores(db.store, 'country');
    const v = await validatePropensity(db.store);
    for (const t of a.attributes[0]!.targets) {
      const val = v.find((x) => x.target === t.target)!;
      // the same split and model as `propensity validate`: the same customers, outcomes and AUC
      expect(t.overall.customers).toBe(val.test.customers);
      expect(t.overall.positives).toBe(val.test.positives);
      expect(t.overall.auc!).toBeCloseTo(val.model.auc, 12);
      expect(t.groups.reduce((s, g) => s + g.customers, 0)).toBe(t.overall.customers);
      const uk = t.groups.find((g) => g.group === 'United Kingdom')!;
      expect(uk.small).toBe(false);
      expect(uk.calibrationGap).toBeCloseTo(uk.meanPredicted - uk.observedRate, 12);
      expect(t.aucGap === null || t.aucGap.gap >= 0).toBe(true);
      expect(t.flags.length).toBeGreaterThan(0);
    }
    // AUC within a group is the AUC of that group's own scores and outcomes
    expect(auc([0.9, 0.8, 0.1], [1, 0, 0])).toBe(1);
  });

  it('answers over HTTP with a read key, and names a bad attribute', async () => {
    const app = await buildApp({ store: db.store });
    try {
      const { key } = await createApiKey(db.store, ['read']);
      const r = await app.inject({ method: 'GET', url: '/v1/segments/loyal/audit?by=country', headers: { authorization: basic(key) } });
      expect(r.statusCode).toBe(200);
      expect(r.json().attributes[0].test.df).toBe(4);
      const bad = await app.inject({ method: 'GET', url: '/v1/segments/loyal/audit?by=total_spent:99', headers: { authorization: basic(key) } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toMatch(/the "by" query parameter total_spent:99: the number of bins/);
      const none = await app.inject({ method: 'GET', url: '/v1/segments/nope/audit?by=country', headers: { authorization: basic(key) } });
      expect(none.statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
