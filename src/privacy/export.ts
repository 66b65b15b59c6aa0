import { isSegmintError } from '../domain/errors.js';
import { explainCustomer, type CustomerExplanation } from '../predict/explain/explain-customer.js';
import type { Store } from '../store/db.js';
import { dropErasureScope, fillErasureScope, memberSegments, personRows, presentPersonTables } from '../store/queries/privacy/erase.js';
import { explainMembership, type MembershipExplanation } from '../segments/manage/explain.js';
import { resolveCustomer } from '../profiles/resolve-customer.js';

/**
 * Everything segmint holds about one person (GDPR art. 15, CCPA "right to know"), as JSON: every row
 * of every table in the person-data registry (the same rows erasure would remove), the explanation of
 * their scores, and why they are in each segment they belong to.
 */
export interface SubjectExport {
  readonly format: 'segmint-subject-export/1';
  readonly exportedAt: string;
  readonly customerId: string;
  /** earlier customer records merged into this one (their rows are included) */
  readonly mergedCustomers: readonly string[];
  /** per table, the person's rows, every column (times in UTC, JSON columns parsed) */
  readonly tables: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /** why they have their scores (history, P(alive), propensity inputs, RFM group), or why there is none */
  readonly scores: CustomerExplanation | { readonly unavailable: string };
  /** each saved segment they are a member of, with the evaluation that explains it */
  readonly segments: readonly MembershipExplanation[];
  /** what the export leaves out, and why */
  readonly notes: readonly string[];
}

const NOTES = [
  'Aggregates (daily segment counts, model parameters fitted over all customers) are not about any one person and are not included.',
  'Tables are those of the person-data registry (src/store/queries/privacy/person-data.ts); erasure removes exactly these rows.',
];

/**
 * The subject export of the customer an identifier names (customer id, email, user id, external id).
 * An identifier of an erased person is answered as such: only a keyed hash of it remains.
 */
export async function subjectExport(store: Store, identifier: string, now = new Date()): Promise<SubjectExport> {
  // an erased person's identifier is customer_erased (resolveCustomer)
  const customerId = await resolveCustomer(store, identifier);
  const { tables, merged } = await store.transaction(async (tx) => {
    await fillErasureScope(tx, [customerId]);
    try {
      const out: Record<string, Record<string, unknown>[]> = {};
      for (const entry of await presentPersonTables(tx)) {
        const { rows, jsonColumns } = await personRows(tx, entry);
        if (rows.length === 0) continue;
        out[entry.table] = rows.map((r) => {
          for (const c of jsonColumns) if (typeof r[c] === 'string') r[c] = JSON.parse(r[c] as string) as unknown;
          return r;
        });
      }
      const merged = (out.customers ?? []).map((c) => String(c.customer_id)).filter((id) => id !== customerId);
      return { tables: out, merged };
    } finally {
      await dropErasureScope(tx);
    }
  });
  let scores: SubjectExport['scores'];
  try {
    scores = await explainCustomer(store, customerId);
  } catch (e) {
    if (!isSegmintError(e)) throw e;
    scores = { unavailable: e.message };
  }
  const segments: MembershipExplanation[] = [];
  for (const name of await memberSegments(store, customerId)) segments.push(await explainMembership(store, name, customerId, now));
  return { format: 'segmint-subject-export/1', exportedAt: now.toISOString(), customerId, mergedCustomers: merged, tables, scores, segments, notes: NOTES };
}
