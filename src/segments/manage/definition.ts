import { SegmintError } from '../../domain/errors.js';
import { jsonDepth, SEGMENT_LIMITS, sizeProblem } from '../ast/limits.js';
import { parseSegment, segmentAstSchema, unparse, type SegmentAst } from '../index.js';
import { syntaxError } from './diagnostics.js';

/** A definition as a user hands it over: text (`--query`) or the JSON AST (`--json-definition FILE`). */
export type DefinitionInput =
  | { readonly query: string; readonly json?: undefined }
  | { readonly json: unknown; readonly query?: undefined; readonly origin?: string };

export interface Definition {
  readonly ast: SegmentAst;
  /** The text form: what the user wrote, or the JSON unparsed into text. */
  readonly text: string;
}

/**
 * Turns user input into a validated AST and its text. Text that does not parse and JSON that does not
 * match the schema are user errors naming the line and column, or the JSON path, at fault.
 */
export function readDefinition(input: DefinitionInput): Definition {
  if (input.query !== undefined) {
    const text = input.query;
    if (text.trim() === '') throw new SegmintError('segment_empty', 'The segment definition is empty.', { field: 'query' });
    const { ast, diagnostics } = parseSegment(text);
    if (!ast || diagnostics.some((d) => d.severity === 'error')) throw syntaxError(text, diagnostics);
    return { ast, text };
  }
  const origin = 'origin' in input && input.origin ? input.origin : 'definition';
  // Checked before the schema, which walks the value recursively.
  if (jsonDepth(input.json, SEGMENT_LIMITS.jsonDepth) > SEGMENT_LIMITS.jsonDepth) {
    throw new SegmintError('segment_too_large', `${origin}: the JSON definition nests deeper than ${SEGMENT_LIMITS.jsonDepth} levels of arrays and objects.`, {
      origin,
      limit: SEGMENT_LIMITS.jsonDepth,
    });
  }
  const parsed = segmentAstSchema.safeParse(input.json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    const first = issues[0];
    throw new SegmintError(
      'segment_json_invalid',
      `${origin}: the JSON definition is not a valid segment` +
        (first ? ` at ${first.path}: ${first.message}` : '') +
        (issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''),
      { origin, issues },
    );
  }
  const tooLarge = sizeProblem(parsed.data);
  if (tooLarge) throw new SegmintError('segment_too_large', `${origin}: ${tooLarge}.`, { origin });
  return { ast: parsed.data, text: unparse(parsed.data) };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}
