import { cdnowRows, cdnowTyped } from '../../../store/queries/import/rows/cdnow.js';
import { SegmintError } from '../../../domain/errors.js';
import type { SourceFile } from '../../csv/source.js';
import type { ImportFormat } from './types.js';

const MASTER_HEADER = ['customer_id', 'date', 'number_of_cds', 'dollar_value'];

function tokens(line: string): string[] {
  return line.trim().split(/\s+/);
}

/** The sample (5 numeric fields, no header) or the master file (4 fields, with or without its header). */
function variantOf(source: SourceFile): { variant: 'sample' | 'master'; skip: number } | undefined {
  const t = tokens(source.firstLine);
  if (t.join(' ').toLowerCase() === MASTER_HEADER.join(' ')) return { variant: 'master', skip: 1 };
  // Numbers, the dollars possibly with a decimal comma or grouped thousands (read per docs/importing.md).
  if (!t.every((x) => /^\d+([.,]\d+)*$/.test(x))) return undefined;
  const date = t.length === 5 ? t[2] : t.length === 4 ? t[1] : undefined;
  if (date === undefined || !/^(19|20)\d{6}$/.test(date)) return undefined;
  return { variant: t.length === 5 ? 'sample' : 'master', skip: 0 };
}

export const cdnow: ImportFormat = {
  name: 'cdnow',
  // Whitespace-separated: no comma, semicolon or tab, and the fields of a CDNOW line.
  detect: (s) => !/[,;\t]/.test(s.firstLine) && variantOf(s) !== undefined,
  plan(source, _header, options) {
    const v = variantOf(source);
    if (!v) {
      throw new SegmintError(
        'import_unknown_header',
        `${source.path}: line 1 is not a CDNOW line ("customer_id date number_of_cds dollar_value" or ` +
          `"master_id sample_id YYYYMMDD cds dollars"): ${source.firstLine.slice(0, 120)}`,
        { file: source.path },
      );
    }
    return {
      format: 'cdnow',
      staging: { kind: 'lines', skip: v.skip },
      // CDNOW was an American shop; its amounts are dollars.
      typed: cdnowTyped(v.variant),
      rows: (read) => cdnowRows(v.variant, options.currency ?? 'USD', read),
      // Every line is CDs.
      lineRules: { names: false },
    };
  },
};
