import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { SegmintError } from '../../domain/errors.js';
import type { WorkflowDefinition } from './types.js';
import { validateDefinition, type DefinitionIssue } from './validate.js';

export type SourceFormat = 'json' | 'yaml';

/** A definition as read from text: the document, and the text itself (kept as the user wrote it). */
export interface ParsedSource {
  readonly definition: WorkflowDefinition;
  readonly raw: Record<string, unknown>;
  readonly source: string;
  readonly format: SourceFormat;
}

/**
 * Reads a workflow definition from JSON or YAML text (YAML is a superset of JSON, so one parser reads
 * both; the format is remembered for showing it back) and validates it. Every problem is reported at
 * once, each with the step it is in, the field, and the line it is on.
 * @throws SegmintError workflow_syntax (not JSON/YAML) or workflow_invalid (details.issues lists each problem)
 */
export function readSource(text: string, origin = 'definition'): ParsedSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new SegmintError(
      'workflow_syntax',
      `${origin}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid JSON or YAML: ${e.message.split('\n')[0]}`,
      { origin, ...(pos ? { line: pos.line, column: pos.col } : {}) },
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const format: SourceFormat = /^\s*\{/.test(text) ? 'json' : 'yaml';
  return { ...validated(raw, origin, (path) => lineOf(doc, lines, path)), source: text, format };
}

/** Validates an already-parsed document (an HTTP body); problems are named by path and step. */
export function readObject(raw: unknown, origin = 'definition'): ParsedSource {
  const v = validated(raw, origin, () => undefined);
  return { ...v, source: JSON.stringify(raw, null, 2), format: 'json' };
}

function validated(
  raw: unknown,
  origin: string,
  line: (path: readonly (string | number)[]) => number | undefined,
): { definition: WorkflowDefinition; raw: Record<string, unknown> } {
  const r = validateDefinition(raw);
  if ('definition' in r) return { definition: r.definition, raw: raw as Record<string, unknown> };
  const issues = r.issues.map((i) => ({ ...i, field: formatPath(i.path), line: line(i.path) }));
  const shown = issues.slice(0, 10).map((i) => `  ${describeIssue(i)}`);
  throw new SegmintError(
    'workflow_invalid',
    `${origin}: the workflow definition has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${shown.join('\n')}` +
      (issues.length > 10 ? `\n  … and ${issues.length - 10} more` : ''),
    { origin, issues },
  );
}

/** `line 14, step "reminder" (steps[2].email.subject): Required` */
export function describeIssue(i: DefinitionIssue & { field: string; line?: number | undefined }): string {
  const where = [i.line !== undefined ? `line ${i.line}` : undefined, i.step !== undefined ? `step "${i.step}"` : undefined].filter(Boolean).join(', ');
  return `${where ? `${where} ` : ''}(${i.field || 'the document'}): ${i.message}`;
}

/** `steps[2].email.subject` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${p}`;
  return out;
}

/** The line a path points at, or the line of its nearest existing parent. */
function lineOf(doc: Document, lines: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    if (n > 0) {
      // A key without a value (or an unknown key) still has a position: look the pair's key up.
      const parent: unknown = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
      const items = (parent as { items?: { key?: unknown }[] } | undefined)?.items;
      const pair = items?.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === path[n - 1]);
      if (pair && isNode(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]).line;
    }
  }
  return undefined;
}
