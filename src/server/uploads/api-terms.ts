import { isSegmintError, SegmintError } from '../../domain/errors.js';
import { optionsAsParameters } from '../option-words.js';
import type { Upload } from './staging.js';

/**
 * The fields of POST /v1/uploads/{id}/preview and POST /v1/imports (docs/api.md) that carry what
 * `segmint import` takes as options of the same name (`--date-format` is `dateFormat`).
 */
const FIELDS: ReadonlySet<string> = new Set(['format', 'map', 'decimal', 'dateFormat', 'lineKind', 'exportedAt', 'currency', 'replaceDiffering']);
const NO_QUERY: ReadonlySet<string> = new Set();

/** A text of the importer in the API's words: the upload's name for its file on disk, fields for options. */
function translate(text: string, upload: Pick<Upload, 'path' | 'name'>): string {
  return optionsAsParameters(text.split(upload.path).join(upload.name), NO_QUERY, FIELDS);
}

/** Every text inside a value (a preview, an error's details) in the API's words, as inApiTerms says. */
export function translateValue<T>(v: T, upload: Pick<Upload, 'path' | 'name'>): T;
export function translateValue(v: unknown, upload: Pick<Upload, 'path' | 'name'>): unknown {
  if (typeof v === 'string') return translate(v, upload);
  if (Array.isArray(v)) return v.map((x) => translateValue(x, upload));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, translateValue(x, upload)]));
  return v;
}

/**
 * An error of the importer (previewImport, importFile) on an upload, as the HTTP API says it: the
 * importer speaks to a command line, naming the file by its path and the options by their flags, but an
 * HTTP client never saw the server's temporary folder and sends `format`, `map`, … as fields. Message
 * and details are rewritten; the code and status are kept. Any other error is returned as it is (a bug
 * is logged, never shown).
 */
export function inApiTerms(e: unknown, upload: Pick<Upload, 'path' | 'name'>): unknown {
  if (!isSegmintError(e)) return e;
  const details = e.details === undefined ? undefined : (translateValue(e.details, upload) as Record<string, unknown>);
  return new SegmintError(e.code, translate(e.message, upload), details, e.httpStatus);
}
