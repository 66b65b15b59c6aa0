import type { Condition } from '../../ast/index.js';
import { SEGMENT_LIMITS } from '../../ast/limits.js';
import type { Catalog } from '../../catalog/catalog.js';
import { TokenCursor } from '../cursor.js';
import type { Token } from '../tokens.js';

/**
 * The state the parts of the segment parser share (grammar: docs/segment-language.md): the catalog that
 * resolves names, whether the cursor is inside a `where` (where names are event properties), and how deep
 * parentheses, `not` and `where` nest. The parts build on one another: values.ts (comparisons and
 * literals), behaviour.ts (performed, sequences, windows, aggregates, consent), logic.ts (and, or, not,
 * and the choice between them), each a subclass of the one before.
 */
export abstract class ParserBase extends TokenCursor {
  protected inWhere = false;
  /** parentheses, `not` and `where` open around the current position */
  protected depth = 0;

  constructor(
    tokens: Token[],
    protected readonly catalog: Catalog,
  ) {
    super(tokens);
  }

  /** One condition with its `not`s (logic.ts): what a `where` holds. */
  protected abstract parseUnary(): Condition;

  /** Parses one level deeper, refusing past the nesting limit before the stack can run out. */
  protected nested<T>(at: Token, fn: () => T): T {
    if (++this.depth > SEGMENT_LIMITS.nesting) {
      throw this.problem(at, `the definition nests deeper than ${SEGMENT_LIMITS.nesting} levels of parentheses, not and where`, 'write it flatter, or as saved segments combined with in segment');
    }
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }
}
