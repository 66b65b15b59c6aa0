/**
 * Limits on an imported file, checked before any import work starts (docs/importing.md, "Limits"). They
 * bound what one hostile or broken line can cost: without them, a line of a million fields made the
 * reader's work grow with the square of the fields.
 */
export const CSV_LIMITS = {
  /** cells in one record (Shopify's widest export has under 100) */
  fieldsPerLine: 1024,
  /** bytes in one record, line ending included; a quoted value spanning several lines counts whole */
  lineBytes: 1024 * 1024,
} as const;
