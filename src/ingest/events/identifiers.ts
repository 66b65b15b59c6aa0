import { normaliseIdentifier, type Identifier } from '../../domain/identifiers.js';
import type { IncomingEvent } from './message.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The identifiers an event carries, most authoritative first: userId, anonymousId, the email trait
 * (identify traits, or context.traits on other calls), and context.externalIds as `external:<type>`.
 * Junk values (see normaliseIdentifier) are dropped here and never identify anyone.
 *
 * An alias joins previousId to userId. previousId may be an anonymous id or an older user id; the caller
 * says which (previousIsUser), and a user id there makes the merge one the resolver refuses.
 * Whichever kind previousId gets here, an erased person's value is dropped (privacy/suppression.ts:
 * suppression is by value, whatever the kind).
 */
export function identifiersOf(e: IncomingEvent, previousIsUser = false): Identifier[] {
  const out: Identifier[] = [];
  add(out, 'user_id', e.userId);
  if (e.type === 'alias') add(out, previousIsUser ? 'user_id' : 'anonymous_id', e.previousId);
  add(out, 'anonymous_id', e.anonymousId);
  if (e.type === 'identify' && e.traits) add(out, 'email', e.traits.email);
  const ctxTraits = e.context?.traits;
  if (isObj(ctxTraits)) add(out, 'email', ctxTraits.email);
  const external = e.context?.externalIds;
  if (Array.isArray(external)) {
    for (const x of external) {
      if (!isObj(x) || typeof x.type !== 'string' || x.type.trim() === '') continue;
      add(out, `external:${x.type.trim().toLowerCase()}`, x.id);
    }
  }
  return out;
}

// A module function rather than a closure made per event (this runs for every event ingested).
function add(out: Identifier[], kind: string, raw: unknown): void {
  const id = normaliseIdentifier(kind, raw);
  if (id) out.push(id);
}
