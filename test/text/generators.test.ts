import { describe, expect, it } from 'vitest';
import { formatOverlap } from '../../src/analytics/overlap/format.js';
import type { OverlapReport } from '../../src/analytics/overlap/segmentOverlap.js';
import { formatMovement, formatRfm } from '../../src/analytics/rfm/format.js';
import type { RfmMovement } from '../../src/analytics/rfm/movement.js';
import type { RfmReport } from '../../src/analytics/rfm/rfm.js';
import { curlPreview, demoText } from '../../src/demo/report.js';
import type { DemoResult } from '../../src/demo/generate.js';
import { countOf } from '../../src/domain/words.js';
import { renderQuality } from '../../src/ingest/quality/render.js';
import { fitText, predictText, validateText } from '../../src/predict/clv/report-text.js';
import type { PredictReport } from '../../src/predict/clv/run/predict-from-store.js';
import type { ValidateReport } from '../../src/predict/clv/run/validate-run.js';
import type { ClvFitReport } from '../../src/predict/clv/fit/fit-report.js';
import { renderList, renderProfile } from '../../src/profiles/render.js';
import type { CustomerProfile } from '../../src/profiles/profile.js';
import { describeCount, describeValue, windowWords } from '../../src/segments/evaluator/describe.js';
import { formatExplanation, type MembershipExplanation } from '../../src/segments/manage/explain.js';
import { formatHistory, formatList, formatMembers, formatPreview, formatRefresh } from '../../src/segments/manage/format.js';
import type { Preview } from '../../src/segments/manage/preview.js';

// Every generator of sentences a user reads, branch by branch (singular, plural, none, each case).

describe('countOf', () => {
  it('puts the noun in the number of the count, numbers grouped the same everywhere', () => {
    expect([countOf(0, 'order'), countOf(1, 'order'), countOf(2, 'order'), countOf(1234, 'customer')]).toEqual(['0 orders', '1 order', '2 orders', '1,234 customers']);
    expect(countOf(2, 'category', 'categories')).toBe('2 categories');
  });
});

describe('segment texts', () => {
  const preview = (count: number, base: number, warnings: Preview['warnings'] = []): Preview => ({
    query: 'orders_count > 1',
    asOf: new Date('2024-06-30T00:00:00Z'),
    count,
    base,
    share: base ? count / base : 0,
    sample: [],
    warnings,
  });

  it('preview: the base in the right number, every warning on its own line', () => {
    expect(formatPreview(preview(1, 1))).toBe('1 of 1 customer (100.0%) as of 2024-06-30T00:00:00Z\n  orders_count > 1');
    expect(formatPreview(preview(0, 0, [{ code: 'empty', message: 'No customer matches this definition.' }]))).toBe(
      '0 of 0 customers (0.0%) as of 2024-06-30T00:00:00Z\n  orders_count > 1\nwarning: No customer matches this definition.',
    );
  });

  it('list, refresh, members and history: empty and singular', () => {
    expect(formatList([])).toBe('No segments yet. Create one with `segmint segments create NAME --query "..."`.');
    expect(formatRefresh([], new Date())).toBe('No segments to refresh.');
    expect(formatRefresh([{ name: 'vip', members: 1, entered: 1, exited: 0, millis: 3 } as never], new Date('2024-01-01T00:00:00Z'))).toBe(
      'refreshed as of 2024-01-01T00:00:00Z:\n  vip: 1 member (+1 entered, −0 exited) in 3 ms',
    );
    // Live segments (a running server) are not recomputed: no "refreshed as of", and an asked-for as-of is said not applied.
    const live = [{ name: 'at-risk', members: 2010, entered: 0, exited: 0, millis: 0, live: true } as never];
    expect(formatRefresh(live, new Date('2011-12-10T00:00:00Z'), true)).toBe(
      'kept live by the running server:\n  at-risk: 2,010 members, kept live by the running server (current at every moment; nothing to refresh)\n' +
        '--as-of 2011-12-10T00:00:00Z was not applied to the segment the running server keeps live: it is current as of now. ' +
        'To count one as of that time, run `segmint segments preview --query "<its definition>" --as-of 2011-12-10T00:00:00Z` ' +
        '(`segmint segments show NAME` prints the definition), or stop the server and refresh.',
    );
    expect(formatRefresh(live, new Date('2011-12-10T00:00:00Z'))).toBe(
      'kept live by the running server:\n  at-risk: 2,010 members, kept live by the running server (current at every moment; nothing to refresh)',
    );
    // Counts of thousands are grouped in every segment text, as countOf groups them.
    expect(formatRefresh([{ name: 'all', members: 12345, entered: 12345, exited: 1000, millis: 3 } as never], new Date('2024-01-01T00:00:00Z'))).toBe(
      'refreshed as of 2024-01-01T00:00:00Z:\n  all: 12,345 members (+12,345 entered, −1,000 exited) in 3 ms',
    );
    expect(formatList([{ name: 'all', members: 4338, refreshedAt: new Date(), query: 'orders_count >= 1' } as never])).toBe('all      4,338  orders_count >= 1');
    expect(formatList([{ name: 'all', id: 's1', members: 0, query: 'q' } as never], new Map([['s1', 23570]]))).toBe('all   23,570 live  q');
    expect(formatMembers({ name: 'vip', source: 'none', asOf: null, total: 0, members: [] } as never)).toBe('"vip" has not been refreshed yet: run `segmint segments refresh`');
    expect(formatMembers({ name: 'vip', source: 'refresh', asOf: new Date('2024-01-01T00:00:00Z'), total: 1, members: [] } as never)).toBe(
      '1 member of "vip" as of 2024-01-01T00:00:00Z (last refresh)',
    );
    expect(formatMembers({ name: 'vip', source: 'server', asOf: new Date('2024-01-01T00:00:00Z'), total: 1, members: [] } as never)).toBe(
      '1 member of "vip" as of 2024-01-01T00:00:00Z, when a server last kept it live',
    );
    expect(formatMembers({ name: 'vip', source: 'live', asOf: new Date('2024-01-01T00:00:00Z'), total: 1, members: [] } as never)).toBe(
      '1 member of "vip" now, kept live by the running server',
    );
    expect(formatHistory({ name: 'vip', runs: [], changes: [] } as never)).toBe('No membership changes recorded for "vip" yet.');
  });

  it('membership explanation: member or not, a change by itself, a stale refresh', () => {
    const e: MembershipExplanation = {
      segment: 'vip',
      query: 'orders_count > 1',
      identifier: '12347',
      customerId: 'cus_1',
      asOf: new Date('2024-01-01T00:00:00Z'),
      member: false,
      changesAt: new Date('2024-02-01T00:00:00Z'),
      storedMember: true,
      storedAsOf: new Date('2023-12-01T00:00:00Z'),
      explanation: { condition: 'orders_count > 1', result: 'false', detail: 'orders_count is 1, needed > 1' } as never,
    };
    const body = [
      'cus_1 (12347) is NOT in "vip" as of 2024-01-01T00:00:00.000Z',
      '  ✗ orders_count > 1  — orders_count is 1, needed > 1',
      'changes by itself at 2024-02-01T00:00:00.000Z if nothing else happens',
    ];
    const legend = '(✓ holds, ✗ does not hold, ? unknown because a value is missing)';
    // The last refresh is of an earlier moment: a refresh would record the change, and says which.
    expect(formatExplanation(e).split('\n')).toEqual([
      ...body,
      'note: the last refresh (as of 2023-12-01T00:00:00.000Z) recorded this customer as a member; run `segmint segments refresh` to update',
      legend,
    ]);
    expect(formatExplanation(e, { asOfAsked: true }).split('\n')[3]).toBe(
      'note: the last refresh (as of 2023-12-01T00:00:00.000Z) recorded this customer as a member; run `segmint segments refresh --as-of 2024-01-01T00:00:00.000Z` to update',
    );
    // Trial 7, D2: a refresh of a later moment answers another question, and a segment the running server
    // keeps live has nothing to refresh: no note, the same text as without a server.
    expect(formatExplanation({ ...e, storedAsOf: new Date('2026-12-01T00:00:00Z') }).split('\n')).toEqual([...body, legend]);
    expect(formatExplanation(e, { asOfAsked: true, keptLive: true }).split('\n')).toEqual([...body, legend]);
    expect(formatExplanation({ ...e, identifier: 'cus_1', member: true, changesAt: null, storedMember: true }).split('\n')[0]).toBe(
      'cus_1 is in "vip" as of 2024-01-01T00:00:00.000Z',
    );
  });

  it('condition words: windows, counts and values', () => {
    expect(windowWords(undefined)).toBe('ever');
    expect(windowWords({ kind: 'within', duration: { amount: 1, unit: 'd' } } as never)).toBe('in the last 1 day');
    expect(windowWords({ kind: 'within', duration: { amount: 30, unit: 'd' } } as never)).toBe('in the last 30 days');
    expect(windowWords({ kind: 'ago', from: { amount: 2, unit: 'w' }, to: { amount: 1, unit: 'w' } } as never)).toBe('between 2 weeks and 1 week ago');
    expect([describeCount('at_least', 2), describeCount('at_most', 2), describeCount('exactly', 2)]).toEqual(['≥ 2', '≤ 2', 'exactly 2']);
    expect(describeValue({ kind: 'field', name: 'orders_count' }, undefined, 1)).toBe('orders_count is missing');
    expect(describeValue({ kind: 'trait', path: ['plan'] }, 'pro', 'x')).toBe('traits.plan is "pro"');
    expect(describeValue(undefined, 3, 1)).toBe('3');
  });

  it('overlap with fewer than two segments', () => {
    const rep = (n: number) => ({ segments: Array.from({ length: n }, (_, i) => `s${i}`), pairs: [] }) as unknown as OverlapReport;
    expect(formatOverlap(rep(0))).toBe('There are no saved segments; overlap needs at least two.');
    expect(formatOverlap(rep(1))).toBe('There is only 1 saved segment; overlap needs at least two.');
  });
});

describe('RFM texts', () => {
  const base: RfmReport = { as_of: '2024-04-01', bins: 5, scored: 1, groups: {}, group_details: [], r: { 1: 0 }, f: { 1: 0 }, m: { 1: 0 }, saved: false, warnings: [] };
  it('one customer, one day, one order', () => {
    const text = formatRfm({
      ...base,
      customer: { identifier: 'solo', customer_id: 'cus_1', recency_days: 1, frequency: 1, monetary: 5, r: 3, f: 3, m: 3, score: '333', group: 'Need Attention', action: 'reactivate' },
    });
    expect(text.split('\n')[0]).toBe('RFM as of 2024-04-01: 1 customer scored (5 bins)');
    expect(text).toContain('  recency 1 day, 1 order, 5.00 spent → R 3, F 3, M 3 (score 333)');
  });
  it('movement without moves', () => {
    const mv: RfmMovement = { from: '2024-01-01', to: '2024-02-01', rows: [], columns: [], matrix: {}, transitions: [], customers_at_from: 1, customers_at_to: 1, new_customers: 0 };
    const text = formatMovement(mv);
    expect(text.split('\n')[0]).toBe('RFM movement from 2024-01-01 to 2024-02-01: 1 customer then, 1 now (0 new)');
    expect(text.endsWith('Largest moves between groups:\n  none')).toBe(true);
  });
});

describe('lifetime-value texts', () => {
  const fit: ClvFitReport = {
    model: 'bg-nbd',
    params: { r: 0.24 },
    standard_errors: { r: 0.01 },
    intervals_95: { r: [0.22, 0.26] },
    log_likelihood: -1,
    customers: 60,
    repeat_buyers: 10,
    convergence: { converged: false, iterations: 3, restarts: 1, gradient_norm: 0.5, evaluations: 9, at_bound: [] },
    spend: null,
    warnings: ['Small customer base.'],
  };
  it('fit: not converged, no spend model, warnings', () => {
    const lines = fitText(fit).split('\n');
    expect(lines[0]).toBe('bg-nbd fitted on 60 customers (10 repeat buyers)');
    expect(lines).toContain('  convergence: NOT converged after 3 iterations, gradient norm 5.0e-1');
    expect(lines.at(-1)).toBe('warning: Small customer base.');
    expect(lines.some((l) => l.startsWith('gamma-gamma'))).toBe(false);
  });
  it('predict: the summary, or one customer', () => {
    const one = { customer_id: 'cus_1', expected_purchases_horizon: 1.5, p_alive: 0.5, churn_risk: 'medium', expected_spend: null, predicted_clv: null, next_order_at: null };
    const r = { as_of: '1997-09-30', model: 'bg-nbd', fitted_now: true, horizon_days: 365, discount: 0.1, customers: 1, churn_risk: { low: 0, medium: 1, high: 0 }, totals: { expected_purchases_horizon: 1.5, predicted_clv: null }, top: [one] } as unknown as PredictReport;
    expect(predictText(r).split('\n')[0]).toBe('1 customer predicted as of 1997-09-30 with bg-nbd (fitted now); horizon 365 days, discount 10.0% a year; saved to customer_predictions.');
    expect(predictText({ ...r, customer: one } as PredictReport).split('\n')[1]).toMatch(/^cus_1 +1\.5 +0\.5 medium +— +— {2}—$/);
  });
  it('validate: a summary file has no calibration dates', () => {
    const v = { model: 'bg-nbd', holdout_length: 39, customers: 1, by_frequency: [], totals: { actual: 1, model: 1, naive: 1 }, mean_absolute_error: { model: 0, naive: 0 }, total_error: { model: 0, naive: 0 }, warnings: [], fit: { warnings: [] } } as unknown as ValidateReport;
    expect(validateText(v).split('\n')[0]).toBe('bg-nbd calibrated, holdout of 39 time units, 1 customer');
  });
});

describe('profile, quality and demo texts', () => {
  it('an empty customer list says where customers come from', () => {
    expect(renderList([])).toBe('No customers here: import orders (segmint import FILE) or send events (segmint serve), or lower --offset.');
  });

  it('a profile without traits, orders or consent', () => {
    const p = { customer_id: 'cus_1', created_at: new Date('2024-01-01T00:00:00Z'), identities: [], traits: {}, metrics: null, as_of: new Date(), consent: [], recent_events: [], warnings: [] } as unknown as CustomerProfile;
    expect(renderProfile(p).split('\n')).toEqual(['Customer cus_1 (since 2024-01-01 00:00:00 UTC)', 'Identities:', 'Traits: none', 'Metrics: no orders', 'Consent: none recorded', 'Recent events (0):']);
  });

  it('days since the last order just after an as-of read 0.0, not -0.0 (recheck 9, C3)', () => {
    const metrics = { orders_count: 1, total_spent: 10, gross_revenue: 10, refunded: 0, avg_order_value: 10, first_order_at: null, last_order_at: null, avg_days_between_orders: null, distinct_products: 1, top_category: null };
    const line = (d: number) =>
      renderProfile({ customer_id: 'c', created_at: new Date(0), identities: [], traits: {}, metrics: { ...metrics, days_since_last_order: d }, as_of: new Date(0), consent: [], recent_events: [], warnings: [] } as unknown as CustomerProfile)
        .split('\n')
        .find((l) => l.includes('days_since_last_order'));
    expect(line(-1 / 24)).toBe('  days_since_last_order 0.0');
    expect(line(-1.26)).toBe('  days_since_last_order -1.3');
    expect(line(2.04)).toBe('  days_since_last_order 2.0');
  });

  it('quality: ok and WARN, with and without a base', () => {
    const text = renderQuality({
      as_of: new Date('2024-01-01T00:00:00Z'),
      checks: [
        { id: 'a', title: 'Nothing wrong', count: 0, out_of: 10, examples: [], definition: 'd1' },
        { id: 'b', title: 'Something', count: 2, details: { zero: 1 }, examples: [{ x: 1 }], definition: 'd2' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'Data quality as of 2024-01-01T00:00:00.000Z',
      '',
      'ok   Nothing wrong: 0 of 10 (0.00%)',
      '     d1',
      '',
      'WARN Something: 2',
      '     d2',
      '     zero 1',
      '     e.g. {"x":1}',
    ]);
  });

  it('the demo summary: already loaded or new, served or not, keys, next steps through npx', () => {
    const counts = { customers: 1, identified: 1, anonymous_only: 1, buyers: 1, repeat_buyers: 0, orders: 1, refunds: 1, order_lines: 1, net_revenue: 10, events: 1, identities: 1, consent_rows: 1, email_consent_granted: 1, email_consent_asked: 1, abandoned_checkouts: 1, first_event_at: null, last_event_at: null };
    const key = { keyId: 'k', key: 'sgm_demo_w', keyHash: 'h', scopes: 'write', name: 'w' };
    const r = { demoId: 'd', alreadyLoaded: true, counts, key, adminKey: { ...key, key: 'sgm_demo_admin_a', scopes: 'admin' }, generateMs: 0, totalMs: 0 } as DemoResult;
    const o = { customers: 1, days: 7, seed: 1, end: new Date('2025-06-01T00:00:00Z') };
    const quiet = demoText('x.duckdb', o, r, { dbFlag: ' --db x.duckdb' }).split('\n');
    expect(quiet[0]).toBe('The demo shop is already in x.duckdb (seed 1): nothing to generate.');
    expect(quiet).toContain('  orders               1 with 1 line, 1 refund; net revenue EUR 10.00');
    expect(quiet).toContain('  people               1: 1 identified, 1 anonymous-only visitor');
    expect(quiet).toContain('  admin key            sgm_demo_admin_a');
    expect(quiet).toContain('Try next, in this folder:');
    expect(quiet).toContain('  npx segmint --db x.duckdb customers stats');
    expect(quiet.some((l) => l.includes('customers show'))).toBe(false);
    expect(quiet.at(-1)).toBe(`    ${curlPreview('http://127.0.0.1:3000', 'sgm_demo_admin_a', '2025-06-01')}`);
    const served = demoText('x.duckdb', o, { ...r, alreadyLoaded: false, totalMs: 1500 }, { dbFlag: '', url: 'http://127.0.0.1:4000', customerId: 'cus_1', email: 'a@example.org', userId: '1000001' }).split('\n');
    expect(served[0]).toBe('Demo shop generated into x.duckdb in 1.5 s (seed 1).');
    expect(served).toContain('Server listening on http://127.0.0.1:4000 (Ctrl-C stops it). Send an event, and count a segment, while it runs:');
    expect(served).toContain('While it runs, try in another terminal, in this folder (the server carries the commands out and keeps segments live):');
    expect(served).toContain('  npx segmint customers show cus_1     # or by email: a@example.org');
    expect(served.every((l) => !/^ {2}segmint /.test(l))).toBe(true);
  });
});
