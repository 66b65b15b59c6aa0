import type { Queryable } from '../../store/db.js';
import { listSegmentRecords } from '../../store/queries/segments/definitions.js';
import { eventNames, traitKeys } from '../../store/queries/segments/vocabulary.js';
import { defaultCatalog } from '../catalog/catalog.js';
import type { FieldType } from '../catalog/field.js';
import { keywords } from '../syntax/words.js';

export interface SegmentVocabulary {
  /** catalog fields: metrics, then those analytics and predictions registered (rfm.*, clv.*, …) */
  fields: { name: string; type: FieldType; description: string }[];
  /** event names seen in the data, most frequent first, for `performed "…"` */
  events: { name: string; count: number }[];
  /** top-level trait keys of customers, most common first, written `traits.<key>` */
  traits: { name: string; count: number }[];
  /** saved segment names, for `in segment "…"` */
  segments: string[];
  /** the words of the language */
  keywords: string[];
}

/**
 * Everything an editor can offer as completions while a segment is written: the fields the catalog
 * knows, the events and traits present in this store, the saved segments and the keywords. The catalog
 * must have its fields registered (registerAllFields) by the shell that calls this.
 */
export async function segmentVocabulary(db: Queryable): Promise<SegmentVocabulary> {
  return {
    fields: defaultCatalog.fields().map((f) => ({ name: f.name, type: f.type, description: f.description })),
    events: await eventNames(db, 200),
    traits: await traitKeys(db, 100),
    segments: (await listSegmentRecords(db)).map((r) => r.name),
    keywords: [...keywords].sort(),
  };
}
