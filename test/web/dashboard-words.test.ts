import { describe, expect, it } from 'vitest';
import { inDashboardWords } from '../../web/src/api/dashboard-words.js';

/** Trial 10, C12: API messages in the dashboard's words (docs/dashboard.md, "Errors and empty states"). */
describe('inDashboardWords', () => {
  it('replaces command-line advice with the dashboard’s action', () => {
    expect(inDashboardWords('A segment named "Champions" already exists; use `segments update`.')).toBe(
      'A segment named "Champions" already exists; choose another name, or open that segment under Segments to change it.',
    );
  });

  it('names a field by the label of its input, and leaves fields without one', () => {
    const labels = { asOf: 'Count as of', name: 'Name' };
    expect(inDashboardWords('The "asOf" field: "2025-13-45" is not a date.', labels)).toBe('Count as of: "2025-13-45" is not a date.');
    expect(inDashboardWords('choose a later as-of (the "asOf" field).', labels)).toBe('choose a later as-of (“Count as of”).');
    expect(inDashboardWords('The "limit" query parameter is too big.', labels)).toBe('The "limit" query parameter is too big.');
    expect(inDashboardWords('plain words')).toBe('plain words');
  });
});
