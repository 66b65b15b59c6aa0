import type { Migration } from './types.js';

/** Tables of the propensity capability. */
export const propensity: Migration = {
  version: 5,
  name: 'propensity',
  statements: [],
};
