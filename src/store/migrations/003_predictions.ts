import type { Migration } from './types.js';

/** Tables of the predictions capability. */
export const predictions: Migration = {
  version: 3,
  name: 'predictions',
  statements: [],
};
