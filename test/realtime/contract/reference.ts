import { compileSegment, evaluateSegment, loadCustomerState, type SegmentAst } from '../../../src/segments/index.js';
import { catalogueOf } from '../../../src/segments/manage/catalogue.js';
import type { Store } from '../../../src/store/db.js';
import { listSegmentRecords } from '../../../src/store/queries/segments/definitions.js';

export interface HistoryEntry {
  readonly segment: string;
  readonly customerId: string;
  readonly change: 'entered' | 'exited';
  readonly at: number;
}

/**
 * What real-time membership must be, computed without the engine: membership at an instant is what
 * the compiled SQL (a bulk `segments refresh --as-of`) says; between two instants with no new data,
 * each customer's flips are found by walking the in-memory evaluator's changes_at (its agreement with
 * the SQL is test/segments/property), taking also the time of every event dated in the future (it
 * starts to count then). History is every flip, at its instant; a change caused by data, a definition
 * or a merge is at the instant it happened. A merge is one person: the absorbed customer's memberships
 * are the survivor's from then on, with no exit or entry of their own (docs/identity.md), as the store
 * moves the segment_members rows and a bulk refresh after the merge then records nothing for them.
 */
export class Reference {
  readonly members = new Map<string, Set<string>>();
  readonly history: HistoryEntry[] = [];

  /** `store` is replaced when the history reopens the database (a restart of the process). */
  constructor(public store: Store) {}

  async segments(): Promise<{ name: string; ast: SegmentAst; resolve: (n: string) => SegmentAst | undefined }[]> {
    const records = await listSegmentRecords(this.store);
    const { resolve } = catalogueOf(records);
    return records.map((r) => ({ name: r.name, ast: r.definition as SegmentAst, resolve }));
  }

  /** Members at `asOf` by the compiled SQL, sorted. */
  async sql(ast: SegmentAst, resolve: (n: string) => SegmentAst | undefined, asOf: number): Promise<string[]> {
    const { sql, parameters } = compileSegment(ast, { asOf: new Date(asOf), resolveSegment: resolve });
    return (await this.store.all<{ customer_id: string }>(sql, parameters as never)).map((r) => r.customer_id).sort();
  }

  /** Records the differences between the SQL at `at` and the members so far, as changes at `at`. */
  async settle(at: number): Promise<void> {
    await this.followMerges();
    const segs = await this.segments();
    for (const name of [...this.members.keys()]) if (!segs.some((s) => s.name === name)) this.forget(name);
    for (const s of segs) {
      const now = new Set(await this.sql(s.ast, s.resolve, at));
      const was = this.members.get(s.name) ?? new Set<string>();
      for (const id of now) if (!was.has(id)) this.history.push({ segment: s.name, customerId: id, change: 'entered', at });
      for (const id of was) if (!now.has(id)) this.history.push({ segment: s.name, customerId: id, change: 'exited', at });
      this.members.set(s.name, now);
    }
  }

  /** Every flip in (from, to] with no new data, each at its instant. */
  async walk(from: number, to: number): Promise<void> {
    await this.followMerges();
    const segs = await this.segments();
    const customers = (await this.store.all<{ customer_id: string }>('SELECT customer_id FROM customers WHERE merged_into IS NULL')).map((r) => r.customer_id);
    for (const id of customers) {
      const state = await loadCustomerState(this.store, id);
      const future = state.events.map((e) => e.timestamp.getTime());
      for (const s of segs) {
        const members = this.members.get(s.name)!;
        let member = members.has(id);
        let t = from;
        for (;;) {
          const r = evaluateSegment(s.ast, state, { asOf: new Date(t), resolveSegment: s.resolve });
          if (r.member !== member) throw new Error(`reference: ${s.name} ${id} at ${new Date(t).toISOString()} is ${r.member}, expected ${member}`);
          const next = Math.min(r.changesAt?.getTime() ?? Infinity, ...future.filter((x) => x > t));
          if (next > to) break;
          const m = evaluateSegment(s.ast, state, { asOf: new Date(next), resolveSegment: s.resolve }).member;
          if (m !== member) {
            this.history.push({ segment: s.name, customerId: id, change: m ? 'entered' : 'exited', at: next });
            if (m) members.add(id);
            else members.delete(id);
            member = m;
          }
          t = next;
        }
      }
    }
  }

  /** Members merged away are their survivors now (merged_into always names a customer not merged). */
  private async followMerges(): Promise<void> {
    const into = new Map(
      (await this.store.all<{ customer_id: string; merged_into: string }>('SELECT customer_id, merged_into FROM customers WHERE merged_into IS NOT NULL')).map(
        (r) => [r.customer_id, r.merged_into] as const,
      ),
    );
    for (const members of this.members.values()) {
      for (const id of [...members]) {
        const survivor = into.get(id);
        if (survivor === undefined) continue;
        members.delete(id);
        members.add(survivor);
      }
    }
  }

  /** A deleted segment takes its history with it. */
  forget(name: string): void {
    this.members.delete(name);
    for (let i = this.history.length - 1; i >= 0; i--) if (this.history[i]!.segment === name) this.history.splice(i, 1);
  }
}
