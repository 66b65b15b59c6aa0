import { resolve } from 'node:path';
import { SegmintError, isSegmintError } from '../domain/errors.js';
import { shellQuote } from '../domain/words.js';

// The fields a generic import of order lines needs (docs/importing.md, "Any CSV: --map").
const ORDER_FIELDS = ['order_id', 'placed_at', 'amount', 'user_id'] as const;

/**
 * For a data file given as the database (`--db orders.csv`): the store refuses it (store_not_database,
 * with `importable` in its details); this adds the import command that loads it, decided as `segmint
 * import` decides (previewImport: the format detected from the header). A file of a known layout gets
 * the plain command; any other gets `--map` pairs to fill in, with its columns named, since no mapping
 * can be guessed. Any other error is returned as it is.
 */
export async function withImportHint(e: unknown): Promise<unknown> {
  if (!isSegmintError(e) || e.code !== 'store_not_database' || e.details?.importable !== true) return e;
  const file = String(e.details.path);
  const target = resolve(file) === resolve('segmint.duckdb') ? 'shop.duckdb' : 'segmint.duckdb';
  const command = `segmint import ${shellQuote(file)} --db ${target}`;
  let hint: string;
  try {
    const { previewImport } = await import('../ingest/import/preview.js');
    const preview = await previewImport(file);
    hint =
      preview.format !== null
        ? `to load it (format ${preview.format}, detected from its header as import does), import it into a database: ${command}`
        : `to load it, import it into a database, mapping its columns (${preview.columns.slice(0, 12).join(', ')}${preview.columns.length > 12 ? ', …' : ''}) ` +
          `to fields: ${command} ${ORDER_FIELDS.map((f) => `--map "COLUMN=${f}"`).join(' ')} (docs/importing.md)`;
  } catch (inner) {
    // A file import refuses too (not UTF-8, a broken gzip): its own reason, without a command that would fail.
    if (!isSegmintError(inner)) throw inner;
    hint = `it cannot be imported as it is either: ${inner.message.replace(/\.$/, '')}`;
  }
  const message = `${file} is not a segmint database: it is ${String(e.details.found)}. segmint keeps its data in a DuckDB file it creates itself; ${hint}.`;
  return new SegmintError(e.code, message, { ...e.details, suggestion: hint }, e.httpStatus);
}
