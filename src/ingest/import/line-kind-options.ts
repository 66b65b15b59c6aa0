import { LINE_KINDS, isLineKind } from '../../domain/line-kinds.js';
import { SegmintError } from '../../domain/errors.js';
import type { LineKindOverride } from '../../store/queries/import/kinds.js';

/**
 * Reads --line-kind values, `MATCH=kind`: lines whose product id (stock code, SKU) or name is MATCH,
 * compared without regard to case, are of that kind; `MATCH*` matches a prefix. The last `=` separates,
 * so a name may hold one. Later values win over earlier ones, and every value wins over the format's
 * own rules (`POST=product` makes postage a product again).
 */
export function parseLineKindOverrides(file: string, values: readonly string[]): LineKindOverride[] {
  return values.map((raw) => {
    const eq = raw.lastIndexOf('=');
    const match = eq > 0 ? raw.slice(0, eq).trim() : '';
    const kind = eq > 0 ? raw.slice(eq + 1).trim().toLowerCase().replace(/ /g, '_') : '';
    if (match === '' || match === '*' || !isLineKind(kind)) {
      throw new SegmintError(
        'import_bad_option',
        `${file}: --line-kind ${raw}: expected PRODUCT_ID_OR_NAME=kind (a trailing * matches a prefix), kind one of ${LINE_KINDS.join(', ')}`,
        { file, option: '--line-kind', value: raw },
      );
    }
    const prefix = match.endsWith('*');
    return { match: prefix ? match.slice(0, -1) : match, prefix, kind };
  });
}
