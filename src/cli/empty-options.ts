import type { Command } from 'commander';
import { SegmintError } from '../domain/errors.js';

// Free text where "" is a value: `segments update --description ""` empties the description.
const TEXT_OPTIONS = new Set(['description', 'notes']);

/**
 * Refuses an option given an empty (or all-space) value, naming it: `--as-of ""` from an unset shell
 * variable (`--as-of "$DAY"`) would otherwise be taken as the option left out — now, or the default —
 * and `rfm --as-of ""` replaced the saved snapshot with one as of now (trial 8, D4). One rule for every
 * option of the command and of the groups above it (`--db ""` included), so no parser has to remember
 * it; only free-text options (--description, --notes) take "" as the empty text.
 * Throws `option_empty` (exit 2).
 */
export function refuseEmptyOptions(command: Command): void {
  for (let cmd: Command | null = command; cmd; cmd = cmd.parent) {
    for (const option of cmd.options) {
      const key = option.attributeName();
      if (TEXT_OPTIONS.has(key) || cmd.getOptionValueSource(key) !== 'cli') continue;
      const value: unknown = cmd.getOptionValue(key);
      const values = Array.isArray(value) ? (value as unknown[]) : [value];
      const empty = values.find((v): v is string => typeof v === 'string' && v.trim() === '');
      if (empty !== undefined) {
        const flag = option.long ?? option.short ?? key;
        throw new SegmintError(
          'option_empty',
          `${flag}: "${empty}" is empty; leave ${flag} out to use its default, or give it a value (an unset shell variable gives "")`,
          { option: flag },
        );
      }
    }
  }
}
