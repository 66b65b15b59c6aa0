import { readUserFile } from '../../domain/system-errors.js';
import { SegmintError } from '../../domain/errors.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import type { DefinitionInput } from './definition.js';

/** Reads `--query` / `--json-definition FILE` into a definition; exactly one is needed when required. */
export function definitionFromOptions(
  opts: { query?: string; jsonDefinition?: string },
  required: boolean,
): DefinitionInput | undefined {
  if (opts.query !== undefined && opts.jsonDefinition !== undefined) {
    throw new SegmintError('definition_twice', 'Give either --query or --json-definition, not both.', {});
  }
  if (opts.query !== undefined) return { query: opts.query };
  if (opts.jsonDefinition !== undefined) return { json: readJsonFile(opts.jsonDefinition), origin: opts.jsonDefinition };
  if (required) throw new SegmintError('definition_missing', 'Give the definition with --query "..." or --json-definition FILE.', {});
  return undefined;
}

function readJsonFile(file: string): unknown {
  const text = readUserFile(file, 'the segment definition (--json-definition)');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SegmintError('json_invalid', `--json-definition: ${file} is not JSON: ${(e as Error).message}`, { file });
  }
}

/**
 * A whole number option such as --limit, from `min` to `max`, with the option named in the error. Out of
 * range is refused, never cut to the bound; only decimal digits are read (wholeNumberIn says why).
 */
export function intOption(raw: string | undefined, option: string, min = 0, max = Number.POSITIVE_INFINITY): number | undefined {
  return raw === undefined ? undefined : wholeNumberIn(raw, option, min, max);
}

/** A share such as --min-share 0.01 or 1%. */
export function shareOption(raw: string | undefined, option: string): number | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  const n = s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new SegmintError('invalid_option', `${option}: "${raw}" is not a share between 0 and 1 (or 0% and 100%)`, { option, value: raw });
  return n;
}
