import type { Queryable } from '../../store/db.js';
import { segmentsWithWebhooks } from '../../store/queries/realtime/record.js';
import { customerHeads, existingTables } from '../../store/queries/realtime/state.js';
import { dropOrphanWebhooks } from '../../store/queries/realtime/webhooks.js';
import { emptyStream, sameStream } from '../state/stream-state.js';
import { profileChanges } from '../state/profile.js';
import { reconcileDefinitions } from './definitions.js';
import { loadProfiles, loadStream } from './load.js';
import type { Stage } from './stage.js';
import { forgetCustomer, mergeCustomer, pruneRecord, reevaluate } from './steps.js';

/**
 * Applies writes the engine did not make or see, by what their fingerprints say changed:
 *   - `segments`: definitions are reconciled (see reconcileDefinitions);
 *   - `customers`, `consent`, `table:*`: every profile is read again and compared; customers new to the
 *     engine are added, and customers merged away hand their memberships to the survivor (no exit or
 *     entry: mergeCustomer), their streams joining the survivor's;
 *   - `events` (not from live ingestion: an import): every stream is read again and compared.
 * Then only the definitions reading what changed are evaluated, for only the customers it changed for.
 */
export async function applyExternalChanges(tx: Queryable, stage: Stage, changed: ReadonlySet<string>, maxHeldEvents: number): Promise<void> {
  stage.tables = await existingTables(tx);
  // A deleted segment takes its webhooks along (and what they had still to send).
  if (changed.has('segments')) await dropOrphanWebhooks(tx);
  if (changed.has('webhooks') || changed.has('segments')) stage.webhookSegments = await segmentsWithWebhooks(tx);
  if (changed.has('segments')) await reconcileDefinitions(tx, stage, maxHeldEvents);
  const keys = new Map<string, Set<string>>();
  const keysOf = (id: string): Set<string> => {
    let k = keys.get(id);
    if (!k) keys.set(id, (k = new Set()));
    return k;
  };

  if (changed.has('customers') || changed.has('consent') || [...changed].some((k) => k.startsWith('table:'))) {
    const { live } = await loadProfiles(tx, stage.reads);
    const gone = [...stage.liveIds()].filter((id) => !live.has(id));
    const heads = new Map((await customerHeads(tx, gone)).map((h) => [h.customer_id, h.merged_into]));
    for (const [id, profile] of live) {
      const rec = stage.get(id);
      if (!rec) {
        stage.create(id, profile);
        keysOf(id).add('*');
        continue;
      }
      const diff = new Set<string>();
      profileChanges(rec.profile, profile, stage.reads, diff);
      if (diff.size === 0) continue;
      stage.mutable(id)!.profile = profile;
      for (const k of diff) keysOf(id).add(k);
    }
    for (const id of gone) {
      const into = heads.get(id);
      const survivor = into ? stage.mutable(into) : undefined;
      if (survivor) {
        mergeCustomer(stage, id, survivor);
        keysOf(survivor.id).add('*');
      } else forgetCustomer(stage, id);
      keys.delete(id);
    }
  }

  if (changed.has('events')) {
    for (const def of stage.streams.values()) {
      const fresh = await loadStream(tx, def, stage.now, stage.model.catalog);
      for (const id of stage.liveIds()) {
        const next = fresh.get(id);
        if (sameStream(stage.get(id)!.streams[def.slot], next)) continue;
        stage.setStream(stage.mutable(id)!, def, next ?? emptyStream(def.props.length));
        keysOf(id).add(`e:${def.event}`);
      }
    }
  }

  for (const [id, k] of keys) {
    const rec = stage.mutable(id);
    if (!rec) continue;
    reevaluate(stage, rec, k);
    pruneRecord(stage, rec);
  }
}
