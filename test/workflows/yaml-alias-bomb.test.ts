import { describe, expect, it } from 'vitest';
import { isSegmintError } from '../../src/domain/errors.js';
import { readSource } from '../../src/workflows/definition/source.js';
import { testServer, type TestServer } from '../server/helpers.js';

// Trial 13, M5: a workflow file whose YAML aliases expand past the parser's guard (a "billion laughs")
// is refused by the yaml library with a ReferenceError that escaped readSource: the CLI reported "internal
// error (a bug in segmint)" with exit 1, and POST /v1/workflows answered 400 "aborted: The request was not
// received whole". It is bad input: workflow_invalid, naming the file and the line of the first alias.
const bomb = 'a0: &a0 [x]\n' + Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(',')}]\n`).join('');

describe('a YAML alias bomb in a workflow definition', () => {
  it('is refused as bad input naming the origin and line, never as an internal error', () => {
    let thrown: unknown;
    try {
      readSource(bomb, 'bomb.yaml');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeDefined();
    expect(isSegmintError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'workflow_invalid', details: { origin: 'bomb.yaml', line: 2, reason: 'alias_expansion' } });
    expect((thrown as Error).message).toMatch(/^bomb\.yaml:2: the YAML expands its aliases/);
  });

  it('is refused over HTTP as workflow_invalid, not as a request that did not arrive whole', async () => {
    const s: TestServer = await testServer(['admin']);
    try {
      const res = await s.post('/v1/workflows', { name: 'bw', source: bomb });
      expect(res.json).toMatchObject({ error: 'workflow_invalid' });
      expect(res.status).toBe(400);
    } finally {
      await s.cleanup();
    }
  });
});
