import type { Migration } from './types.js';

/** Tables of the segments capability. */
export const segments: Migration = {
  version: 2,
  name: 'segments',
  statements: [],
};
