/**
 * How the numbers and dates of a file are written, decided per column from the whole file (or given with
 * --decimal / --date-format). The rules are in docs/importing.md ("Numbers and dates").
 */

/** A column whose text is read as a number or a time. `expr` is SQL over imp_raw giving its text. */
export interface TypedField {
  /** the format's role, unique within a file (e.g. `unitPrice`) */
  readonly key: string;
  /** the column as the header spells it, for messages and overrides */
  readonly column: string;
  readonly type: 'number' | 'time';
  readonly expr: string;
}

/**
 * point: 1,234.56 (a comma groups thousands); comma: 1.234,56 (a point groups thousands); mixed: the
 * column has values only one layout can read and values only the other can, so each value is read the
 * one way it can be and a value either could read is ambiguous; unknown: nothing in the column (or the
 * file) tells, so a value the two layouts read differently (`1.234`) is ambiguous.
 */
export type DecimalLayout = 'point' | 'comma' | 'mixed' | 'unknown';

/**
 * ymd: only year-first dates (ISO 8601, 20240501); dmy / mdy: day or month first (01.05.2024,
 * 05/01/2024); mixed / unknown as for decimals. A strptime format given with --date-format is used as
 * it is.
 */
export type DateOrder = 'ymd' | 'dmy' | 'mdy' | 'mixed' | 'unknown';

export type Decided<T> = { readonly layout: T; readonly source: 'detected' | 'file' | 'option' };

export type FieldLayout =
  | ({ readonly type: 'number' } & Decided<DecimalLayout>)
  | ({ readonly type: 'date' } & Decided<DateOrder>)
  | { readonly type: 'date'; readonly layout: 'format'; readonly format: string; readonly source: 'option' };

/** What the whole-file pass counted in one column. */
export interface NumberEvidence {
  /** values only a decimal point reads (7.5, 1,234.56) */
  readonly point: number;
  /** values only a decimal comma reads (12,50, 1.234,56) */
  readonly comma: number;
  /** values the two read differently (1.234) */
  readonly ambiguous: number;
}

export interface DateEvidence {
  /** year-first values */
  readonly ymd: number;
  /** day-first or month-first values that only day-first reads (13/01/2024) */
  readonly dmy: number;
  /** ... that only month-first reads (01/13/2024) */
  readonly mdy: number;
  /** values the two read differently (01/02/2024) */
  readonly ambiguous: number;
}

/** One line of the import report: how a column was read, and why. */
export interface LayoutNote {
  readonly column: string;
  readonly type: 'number' | 'date';
  readonly layout: string;
  readonly source: 'detected' | 'file' | 'option';
}
