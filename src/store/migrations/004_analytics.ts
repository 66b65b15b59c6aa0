import type { Migration } from './types.js';

/** Tables of the analytics capability. */
export const analytics: Migration = {
  version: 4,
  name: 'analytics',
  statements: [],
};
