import { isSegmintError } from '../../src/domain/errors.js';
import { readSource } from '../../src/workflows/definition/source.js';

/** The message a workflow definition (YAML text) is refused with when saved; throws if it is accepted. */
export function problems(text: string): string {
  try {
    readSource(text, 'flow.yaml');
  } catch (e) {
    if (isSegmintError(e)) return e.message;
    throw e;
  }
  throw new Error('expected the definition to be refused');
}
