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
    // sift up, moving parents down into the hole (no swaps: a commit pushes hundreds of entries)
    let i = this.at.length;
    this.at.push(at);
    this.ids.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.at[p]! <= at) break;
      this.at[i] = this.at[p]!;
      this.ids[i] = this.ids[p]!;
      i = p;
    }
    this.at[i] = at;
    this.ids[i] = id;
  }

  pop(): { at: number; id: string } | undefined {
    if (this.at.length === 0) return undefined;
    const top = { at: this.at[0]!, id: this.ids[0]! };
    const lastAt = this.at.pop()!;
    const lastId = this.ids.pop()!;
    if (this.at.length > 0) this.siftDown(0, lastAt, lastId);
    return top;
  }

  /** Replaces the contents with one entry per (instant, id) given (never-due ones left out), in O(n). */
  rebuild(entries: Iterable<{ at: number; id: string }>): void {
    this.at = [];
    this.ids = [];
    for (const e of entries) {
      if (!Number.isFinite(e.at)) continue;
      this.at.push(e.at);
      this.ids.push(e.id);
    }
    for (let i = (this.at.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.at[i]!, this.ids[i]!);
  }

  /** Puts (at, id) at slot i, or below it where the heap order wants it, moving smaller children up. */
  private siftDown(i: number, at: number, id: string): void {
    const n = this.at.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.at[r]! < this.at[l]! ? r : l;
      if (this.at[m]! >= at) break;
      this.at[i] = this.at[m]!;
      this.ids[i] = this.ids[m]!;
      i = m;
    }
    this.at[i] = at;
    this.ids[i] = id;
  }
}
