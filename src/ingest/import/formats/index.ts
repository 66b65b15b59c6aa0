import { SegmintError } from '../../../domain/errors.js';
import type { Header } from '../../csv/header.js';
import type { SourceFile } from '../../csv/source.js';
import { cdnow } from './cdnow.js';
import { generic } from './generic.js';
import { onlineRetail } from './online-retail.js';
import { shopifyCustomers } from './shopify-customers.js';
import { shopifyOrders } from './shopify-orders.js';
import { FORMAT_NAMES, type FormatName, type ImportFormat } from './types.js';

export const FORMATS: Readonly<Record<FormatName, ImportFormat>> = {
  'online-retail': onlineRetail,
  'shopify-orders': shopifyOrders,
  'shopify-customers': shopifyCustomers,
  cdnow,
  generic,
};

/**
 * The format asked for, or with `auto` the one whose header the file has. `--map` without a format
 * means generic. An unknown header is an error naming the file and what it found.
 */
export function chooseFormat(requested: string, source: SourceFile, header: Header, hasMap: boolean): ImportFormat {
  if (requested !== 'auto') {
    if (!(FORMAT_NAMES as readonly string[]).includes(requested)) {
      throw new SegmintError('import_unknown_format', `Unknown format "${requested}"; use auto or one of ${FORMAT_NAMES.join(', ')}`, {
        format: requested,
      });
    }
    return FORMATS[requested as FormatName];
  }
  if (hasMap) return generic;
  const found = FORMAT_NAMES.map((n) => FORMATS[n]).find((f) => f.detect(source, header));
  if (found) return found;
  throw new SegmintError(
    'import_unknown_header',
    `${source.path}: cannot tell the format from its first line (${source.firstLine.slice(0, 160)}). ` +
      `Name it with --format (${FORMAT_NAMES.join(', ')}), or map the columns with --map column=field.`,
    { file: source.path, header: header.columns },
  );
}
