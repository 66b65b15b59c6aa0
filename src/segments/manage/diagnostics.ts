import { SegmintError } from '../../domain/errors.js';

/** The shape parseSegment reports problems in (line and column are 1-based). */
export interface SourceDiagnostic {
  readonly severity: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly hint?: string;
}

/**
 * Renders a diagnostic the way compilers do: where, what, the source line, and a caret under the
 * column, so a marketer sees exactly which word the language did not understand.
 */
export function formatDiagnostic(source: string, d: SourceDiagnostic, origin = 'query'): string {
  const lines = source.split(/\r?\n/);
  const text = lines[d.line - 1] ?? '';
  const gutter = `${d.line} | `;
  const caretPad = ' '.repeat(gutter.length) + text.slice(0, Math.max(0, d.column - 1)).replace(/[^\t]/g, ' ');
  const out = [`${origin}:${d.line}:${d.column}: ${d.severity}: ${d.message}`, gutter + text, `${caretPad}^`];
  if (d.hint) out.push(`hint: ${d.hint}`);
  return out.join('\n');
}

/** The error a definition that does not parse turns into; details carry the diagnostics for HTTP. */
export function syntaxError(source: string, diagnostics: readonly SourceDiagnostic[], origin = 'query'): SegmintError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = errors.length > 0 ? errors : diagnostics;
  const body = shown.map((d) => formatDiagnostic(source, d, origin)).join('\n\n');
  return new SegmintError('segment_syntax', `The segment definition does not parse:\n${body}`, {
    diagnostics: shown.map((d) => ({ ...d })),
  });
}
