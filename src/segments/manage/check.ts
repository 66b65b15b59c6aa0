import { isSegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { listSegmentRecords } from '../../store/queries/segments/definitions.js';
import { parseSegment, referencedSegments, unparse, type SegmentAst } from '../index.js';
import { readDefinition, type DefinitionInput } from './definition.js';

/** A problem of a definition being written: at a line and column of the text, or at a path of the JSON. */
export interface DefinitionProblem {
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  /** 1-based, end exclusive; absent for problems found in the JSON form or across segments */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** where in the JSON form, e.g. `$.conditions[1].op` */
  path?: string;
}

export interface DefinitionCheck {
  ok: boolean;
  /** the text form: what was typed, or the JSON unparsed; null when the JSON is not a definition */
  text: string | null;
  /** the JSON form (AST); null when the text does not parse */
  json: SegmentAst | null;
  problems: DefinitionProblem[];
}

/**
 * Checks a definition as a user types it, without counting anyone: the same parse and field checks as
 * saving it (unknown fields with their nearest name, wrong types, syntax), each problem at its line and
 * column, plus references to segments that are not saved. Returns both forms so an editor can show the
 * text and the JSON side by side. `self` is the name of the segment being edited, which may refer to
 * nothing new. Never throws for a bad definition: problems are data.
 */
export async function checkDefinition(db: Queryable, input: DefinitionInput, self?: string): Promise<DefinitionCheck> {
  let text: string;
  if (input.query !== undefined) {
    text = input.query;
    if (text.trim() === '') return { ok: false, text, json: null, problems: [{ severity: 'error', message: 'The definition is empty: type a condition such as total_spent > 100.', line: 1, column: 1 }] };
  } else {
    try {
      text = readDefinition(input).text;
    } catch (e) {
      if (!isSegmintError(e)) throw e;
      const issues = (e.details?.issues as { path: string; message: string }[] | undefined) ?? [];
      const problems = issues.length > 0 ? issues.map((i) => ({ severity: 'error' as const, message: i.message, path: i.path })) : [{ severity: 'error' as const, message: e.message }];
      return { ok: false, text: null, json: null, problems };
    }
  }
  const parsed = parseSegment(text);
  const problems: DefinitionProblem[] = parsed.diagnostics.map((d) => ({ ...d }));
  const ast = parsed.ast ?? null;
  if (ast) {
    const saved = new Set((await listSegmentRecords(db)).map((r) => r.name));
    for (const name of referencedSegments(ast)) {
      if (!saved.has(name) && name !== self) {
        problems.push({ severity: 'error', message: `"${name}" is not a saved segment.`, hint: 'Save that segment first, or check its name in the segment list.' });
      }
    }
  }
  return {
    ok: ast !== null && !problems.some((p) => p.severity === 'error'),
    text: input.query !== undefined ? text : ast ? unparse(ast) : text,
    json: ast,
    problems,
  };
}
