import { checkSegment, parseSegment } from '../../segments/index.js';
import type { Condition } from '../../segments/ast/index.js';
import type { SegmentCondition } from './types.js';

/**
 * Parses a condition in the segment language (a goal, a branch) and checks its fields against the
 * catalog. Returns the condition, or the first problem as a sentence with line and column.
 */
export function parseCondition(text: string): SegmentCondition | string {
  if (text.trim() === '') return 'is empty; write a condition in the segment language, e.g. performed "Order Completed"';
  const { ast, diagnostics } = parseSegment(text);
  const problem = diagnostics.find((d) => d.severity === 'error') ?? (ast ? checkSegment(ast).find((d) => d.severity === 'error') : undefined);
  if (!ast || problem) return describe(text, problem);
  return { text, ast };
}

/**
 * Parses a filter on an event's properties, written as after `where` in the segment language:
 * `value > 50`, `(category = "Dresses" and price > 50)`. The AST is the where clause itself.
 */
export function parseEventFilter(event: string, text: string): SegmentCondition | string {
  if (text.trim() === '') return 'is empty; write a filter on the event\'s properties, e.g. value > 50';
  const prefix = `performed ${JSON.stringify(event)} where (`;
  const wrapped = `${prefix}${text})`;
  const { ast, diagnostics } = parseSegment(wrapped);
  const problem = diagnostics.find((d) => d.severity === 'error') ?? (ast ? checkSegment(ast).find((d) => d.severity === 'error') : undefined);
  if (!ast || problem || ast.kind !== 'performed' || !ast.where) return describe(text, problem, prefix.length);
  return { text, ast: ast.where as Condition };
}

function describe(text: string, d: { message: string; line: number; column: number; hint?: string } | undefined, shift = 0): string {
  if (!d) return `"${text}" is not a condition of the segment language`;
  const column = d.line === 1 ? Math.max(1, d.column - shift) : d.column;
  return `"${text}": ${d.message}${d.line > 0 ? ` (line ${d.line}, column ${column})` : ''}${d.hint ? `; ${d.hint}` : ''}`;
}
