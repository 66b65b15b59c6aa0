import type { Condition, Diagnostic } from '../ast/index.js';
import { defaultCatalog, type Catalog } from '../catalog/catalog.js';
import { checkSegment } from '../catalog/check.js';
import { SEGMENT_LIMITS, sizeProblem } from '../ast/limits.js';
import { Parser } from './parser/logic.js';
import { SyntaxProblem, tokenize, type Token } from './tokens.js';
import { figure } from '../../domain/words.js';

export interface ParseResult {
  /** Present when the text parsed; diagnostics may still hold errors from the catalog check. */
  readonly ast?: Condition;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses definition text (grammar: docs/segment-language.md) into the AST, then checks it against the
 * catalog. Precedence: not > and > or. Never throws: problems come back as diagnostics with positions.
 */
export function parseSegment(text: string, opts: { catalog?: Catalog } = {}): ParseResult {
  const catalog = opts.catalog ?? defaultCatalog;
  if (text.length > SEGMENT_LIMITS.textChars) {
    return {
      diagnostics: [
        { severity: 'error', message: `the definition is ${figure(text.length)} characters long; at most ${figure(SEGMENT_LIMITS.textChars)} are accepted`, line: 1, column: 1 },
      ],
    };
  }
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (e) {
    if (e instanceof SyntaxProblem) return { diagnostics: [toDiagnostic(e)] };
    throw e;
  }
  const parser = new Parser(tokens, catalog);
  try {
    const ast = parser.parseDefinition();
    const tooLarge = sizeProblem(ast);
    if (tooLarge) return { diagnostics: [{ severity: 'error', message: tooLarge, line: 1, column: 1 }] };
    const diagnostics = checkSegment(ast, { catalog, spanOf: (n) => parser.spans.get(n) });
    const hasError = diagnostics.some((d) => d.severity === 'error');
    return hasError ? { diagnostics } : { ast, diagnostics };
  } catch (e) {
    if (e instanceof SyntaxProblem) return { diagnostics: [toDiagnostic(e)] };
    throw e;
  }
}

function toDiagnostic(e: SyntaxProblem): Diagnostic {
  return { severity: 'error', message: e.message, ...e.at, ...(e.hint ? { hint: e.hint } : {}) };
}
