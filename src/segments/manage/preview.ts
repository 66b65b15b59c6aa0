import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { previewFigures } from '../../store/queries/segments/preview.js';
import { loadCatalogue } from './catalogue.js';
import { compileChecked } from './crud.js';
import type { SegmentAst } from '../index.js';
import { readDefinition, type DefinitionInput } from './definition.js';
import { dependencyOrder, referencedSegments } from './dependencies.js';
import { storedMomentWarnings } from './stored-moments.js';
import { sampleTraits } from './traits.js';
import { defaultWarningSettings, segmentWarnings, type SegmentWarning, type WarningSettings } from './warnings.js';
import { wholeNumberIn } from '../../domain/whole-number.js';

export interface PreviewOptions {
  asOf: Date;
  sampleSize?: number;
  warnings?: Partial<WarningSettings>;
  /** When previewing an edit of a saved segment: its name, so it is not reported as its own duplicate. */
  self?: string;
}

export interface PreviewMember {
  customerId: string;
  traits: Record<string, unknown>;
  ordersCount: number | null;
  totalSpent: number | null;
  lastOrderAt: Date | null;
}

export interface Preview {
  query: string;
  asOf: Date;
  count: number;
  base: number;
  /** count / base, 0 for an empty base. */
  share: number;
  sample: PreviewMember[];
  warnings: SegmentWarning[];
}

/** The most members a preview shows (`--sample`, `sample`): more is refused, not cut. */
export const PREVIEW_SAMPLE_MAX = 100;

/**
 * Counts a definition without saving it: how many customers, what share of the base, a few of them,
 * and what is wrong with it (too small, a near-duplicate, stored values of another moment than asOf). One statement computes the members once and every figure from them,
 * which keeps this fast enough to run as the user types.
 */
export async function previewSegment(db: Store, input: DefinitionInput, opts: PreviewOptions): Promise<Preview> {
  const def = readDefinition(input);
  const settings = { ...defaultWarningSettings, ...opts.warnings };
  const sampleSize = wholeNumberIn(opts.sampleSize ?? 10, 'sample', 0, PREVIEW_SAMPLE_MAX);
  const compiled = await compileForPreview(db, def.ast, opts);
  const f = await previewFigures(db, compiled, sampleSize);
  return {
    query: def.text,
    asOf: opts.asOf,
    count: f.count,
    base: f.base,
    share: f.base > 0 ? f.count / f.base : 0,
    sample: f.sample.map((r) => ({
      customerId: r.customer_id,
      traits: sampleTraits(r.traits),
      ordersCount: r.orders_count,
      totalSpent: r.total_spent,
      lastOrderAt: r.last_order_at,
    })),
    warnings: [
      ...segmentWarnings(f.count, f.base, f.count > 0 ? f.overlaps : [], settings, opts.self),
      ...(await storedMomentWarnings(db, def.ast, opts.asOf)),
    ],
  };
}

/**
 * Compiles against the saved segments. Only a definition that uses `in segment` needs them loaded
 * (one query saved on every keystroke otherwise); those references must exist and not close a circle,
 * counting the segment being edited (`self`).
 */
async function compileForPreview(db: Store, ast: SegmentAst, opts: PreviewOptions) {
  const refs = referencedSegments(ast);
  if (refs.length === 0) return compileChecked(ast, () => undefined, opts.asOf);
  const catalogue = await loadCatalogue(db);
  const missing = refs.filter((n) => !catalogue.records.has(n) && n !== opts.self);
  if (missing.length > 0) {
    throw new SegmintError(
      'segment_reference_unknown',
      `The definition refers to ${missing.map((m) => `"${m}"`).join(', ')}, which ${missing.length === 1 ? 'is not a saved segment' : 'are not saved segments'}.`,
      { missing },
    );
  }
  const deps = new Map(catalogue.deps);
  deps.set(opts.self ?? '\u0000preview', refs);
  dependencyOrder(deps);
  return compileChecked(ast, catalogue.resolve, opts.asOf);
}
