import { SegmintError } from '../../domain/errors.js';

/** Where in the definition text a problem is; 1-based, end exclusive. */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

/** A problem found in a segment definition, as data: the parser and the checker return these. */
export interface Diagnostic extends Span {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint?: string;
}

/**
 * A user error in a segment definition (unknown field, a cycle of segments, a value of the wrong
 * type). The HTTP layer maps it to 400 like every SegmintError; span points into the text when known.
 */
export class SegmentError extends SegmintError {
  constructor(
    code: string,
    message: string,
    readonly span?: Span,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, { ...details, ...(span ? { span } : {}) }, 400);
    this.name = 'SegmentError';
  }
}

/** Throws the first error of a list of diagnostics, naming where it is. */
export function throwIfErrors(diagnostics: readonly Diagnostic[], what: string): void {
  const first = diagnostics.find((d) => d.severity === 'error');
  if (!first) return;
  const where = first.line > 0 ? ` (line ${first.line}, column ${first.column})` : '';
  const hint = first.hint ? ` ${first.hint}` : '';
  throw new SegmentError('invalid_segment', `${what}: ${first.message}${where}.${hint}`, first.line > 0 ? first : undefined, {
    diagnostics,
  });
}
