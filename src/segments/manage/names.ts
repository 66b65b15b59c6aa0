import { SegmintError } from '../../domain/errors.js';
import { canonicalText } from '../../domain/identifiers.js';
import { nameCharacterProblem } from '../../domain/names.js';

const MAX_NAME = 200;

/**
 * Checks a segment name. Names are how definitions refer to each other (`in segment "vip"`), so any
 * printable text is allowed — quotes and non-Latin letters included — but not an empty name, one with
 * control or display-changing characters (the shared name rule, domain/names.ts), or one with spaces
 * around it that would make two names look the same. Returned in NFC (canonicalText): `é` typed as one
 * character and as `e` + a combining accent is one name, so two segments never look the same in a list
 * (trial 13, M1); findSegmentRecord looks names up in NFC too.
 */
export function checkSegmentName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new SegmintError('segment_name_invalid', `${field}: a segment needs a non-empty name`, { field });
  }
  if (name !== name.trim()) {
    throw new SegmintError('segment_name_invalid', `${field}: "${name}" starts or ends with spaces; remove them`, { field, name });
  }
  if (name.length > MAX_NAME) {
    throw new SegmintError('segment_name_invalid', `${field}: the name is longer than ${MAX_NAME} characters`, { field });
  }
  const problem = nameCharacterProblem(name);
  if (problem) throw new SegmintError('segment_name_invalid', `${field}: the name ${problem}`, { field, name });
  return canonicalText(name);
}

export function segmentNotFound(name: string): SegmintError {
  return new SegmintError('segment_not_found', `There is no segment named "${name}"; \`segmint segments list\` shows them.`, { name }, 404);
}
