import { LineCounter, parseDocument, isNode, visit, type Document } from 'yaml';
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
 * @throws SegmintError workflow_syntax (not JSON/YAML), workflow_invalid (details.issues lists each
 * problem) or workflow_invalid with details.reason `alias_expansion` (aliasesToJs)
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
  const raw = aliasesToJs(doc, lines, origin);
  const format: SourceFormat = /^\s*\{/.test(text) ? 'json' : 'yaml';
  return { ...validated(raw, origin, (path) => lineOf(doc, lines, path)), source: text, format };
}

/** How many times a document's aliases may be expanded in all (the yaml library's guard, counted its way). */
const MAX_ALIAS_COUNT = 100;

/**
 * The document as plain values. Expanding the aliases (`*name`) is where the yaml library refuses a
 * document whose aliases multiply (a "billion laughs": nine aliases of nine aliases of …) before it
 * fills the memory, and an alias it cannot resolve: it throws a ReferenceError, which is the user's
 * file, not a bug in segmint, so it becomes a refusal naming the file and the line of the first alias.
 * @throws SegmintError workflow_invalid (details.reason `alias_expansion`) or workflow_syntax (another alias problem)
 */
function aliasesToJs(doc: Document, lines: LineCounter, origin: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    let line: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (node.range) line = lines.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    const where = `${origin}${line !== undefined ? `:${line}` : ''}`;
    const position = { origin, ...(line !== undefined ? { line } : {}) };
    if (/excessive alias count/i.test(e.message)) {
      throw new SegmintError(
        'workflow_invalid',
        `${where}: the YAML expands its aliases (*name) too many times (more than ${MAX_ALIAS_COUNT} values in all, a guard against documents that multiply themselves); write the repeated values out instead.`,
        { ...position, reason: 'alias_expansion', limit: MAX_ALIAS_COUNT },
      );
    }
    throw new SegmintError('workflow_syntax', `${where}: not valid YAML: ${e.message.split('\n')[0]}`, position);
  }
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
