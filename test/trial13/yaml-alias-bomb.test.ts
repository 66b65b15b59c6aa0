import { describe, expect, it } from 'vitest';
import { isSegmintError } from '../../src/domain/errors.js';
import { readSource } from '../../src/workflows/definition/source.js';

// Trial 13, M5: a workflow file whose YAML aliases expand past the parser's guard (a "billion laughs")
// is refused by the yaml library with a ReferenceError that escapes readSource: the CLI reports "internal
// error (a bug in segmint)" with exit 1, and POST /v1/workflows answers 400 "aborted: The request was not
// received whole". It is bad input and must be a SegmintError (workflow_syntax or workflow_invalid).
const bomb = 'a0: &a0 [x]\n' + Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(',')}]\n`).join('');

describe('a YAML alias bomb in a workflow definition', () => {
  it('is refused as bad input naming the origin, never as an internal error', () => {
    let thrown: unknown;
    try {
      readSource(bomb, 'bomb.yaml');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeDefined();
    expect(isSegmintError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('bomb.yaml');
  });
});
