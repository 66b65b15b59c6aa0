/**
 * A user error: something the person running segmint can fix (bad input, a missing file, a locked
 * database). The CLI prints its message without a stack; the HTTP layer maps it to a 4xx in one place.
 * Anything that is not a SegmintError is a bug.
 */
export class SegmintError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = 'SegmintError';
  }
}

export function isSegmintError(e: unknown): e is SegmintError {
  return e instanceof SegmintError;
}
