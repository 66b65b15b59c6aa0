/**
 * The customers to look at again, by instant: a binary min-heap of (instant, customer id). An entry
 * goes stale when the customer's earliest due instant changes (a new entry is pushed then); readers
 * check the record and skip stale entries, and the heap is rebuilt when stale ones outnumber live ones.
 */
export class DueHeap {
  private at: number[] = [];
  private ids: string[] = [];

  get size(): number {
    return this.at.length;
  }

  peek(): number {
    return this.at.length > 0 ? this.at[0]! : Infinity;
  }

  push(at: number, id: string): void {
    if (!Number.isFinite(at)) return;
    this.at.push(at);
    this.ids.push(id);
    let i = this.at.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.at[p]! <= at) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): { at: number; id: string } | undefined {
    if (this.at.length === 0) return undefined;
    const top = { at: this.at[0]!, id: this.ids[0]! };
    const lastAt = this.at.pop()!;
    const lastId = this.ids.pop()!;
    if (this.at.length > 0) {
      this.at[0] = lastAt;
      this.ids[0] = lastId;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.at.length && this.at[l]! < this.at[m]!) m = l;
        if (r < this.at.length && this.at[r]! < this.at[m]!) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  /** Replaces the contents with one entry per (instant, id) given. */
  rebuild(entries: Iterable<{ at: number; id: string }>): void {
    this.at = [];
    this.ids = [];
    for (const e of entries) this.push(e.at, e.id);
  }

  private swap(i: number, j: number): void {
    [this.at[i], this.at[j]] = [this.at[j]!, this.at[i]!];
    [this.ids[i], this.ids[j]] = [this.ids[j]!, this.ids[i]!];
  }
}
