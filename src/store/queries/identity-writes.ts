/**
 * A count, in this process, of the writes that change the identities table (which customer holds which
 * identifier) or the creation time of customers holding them: new identities, merges, erasures, demo
 * loads. Erasures are also the only writers of suppressions, whose presence the identity map keeps too. In-memory copies of that table (the live committer's IdentityMap, src/ingest/identity/
 * identity-map.ts) compare the count with the one they were made at and read the table again when it
 * moved. So every code path that writes identities calls noteIdentityWrite, inside its transaction and
 * after its statements (a copy read in between would see them), and the copy that made the write itself
 * takes the new count as its own.
 *
 * One count for the whole process, not per database: a write to another database only costs a copy a
 * needless re-read, never a wrong answer. Writes made with raw SQL outside segmint's code are not counted
 * (the server is the only writer of its database while it runs, and all of segmint's writes go through
 * here).
 */
let writes = 0;

/** Records that identities changed (see the module's comment for where to call it). */
export function noteIdentityWrite(): void {
  writes++;
}

/** The number of identity writes so far in this process. */
export function identityWriteCount(): number {
  return writes;
}
