import { SegmintError } from '../../domain/errors.js';

const MAX_NAME = 200;

/**
 * Checks a segment name. Names are how definitions refer to each other (`in segment "vip"`), so any
 * printable text is allowed — quotes and non-Latin letters included — but not an empty name, one with
 * control characters, or one with spaces around it that would make two names look the same.
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
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new SegmintError('segment_name_invalid', `${field}: the name contains a control character (newline, tab…)`, { field, name });
  }
  return name;
}

export function segmentNotFound(name: string): SegmintError {
  return new SegmintError('segment_not_found', `There is no segment named "${name}"; \`segmint segments list\` shows them.`, { name }, 404);
}
