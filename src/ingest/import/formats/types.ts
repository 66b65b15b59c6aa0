import type { Queryable } from '../../../store/db.js';
import type { LineRules } from '../../../store/queries/import/kinds.js';
import type { RowsQuery } from '../../../store/queries/import/rows/schema.js';
import type { Binds } from '../../../store/queries/import/rows/sql.js';
import type { ValueReader } from '../../../store/queries/import/rows/values.js';
import type { TypedField } from '../layouts/types.js';
import type { Header } from '../../csv/header.js';
import type { SourceFile } from '../../csv/source.js';

export const FORMAT_NAMES = ['online-retail', 'shopify-orders', 'shopify-customers', 'cdnow', 'generic'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** How the file is read into the staging table. */
export type Staging =
  | { readonly kind: 'delimited'; readonly delimiter: string; readonly columns: number }
  | { readonly kind: 'lines'; readonly skip: number };

export interface FormatOptions {
  /** `column=field` pairs given with --map (generic only). */
  readonly map: readonly string[];
  /** Currency of the amounts when the file does not say (each format has its own default). */
  readonly currency?: string;
}

/** Reads the file's typed columns under their decided layouts, binding into the statement's Binds. */
export type ReaderFor = (binds: Binds) => ValueReader;

/**
 * A format, decided for one file: how to stage it, which columns are numbers and dates (their layouts
 * are decided from the whole file once it is staged), and the SELECT that gives its rows their common
 * shape.
 */
export interface ImportPlan {
  readonly format: FormatName;
  readonly staging: Staging;
  readonly typed: readonly TypedField[];
  readonly rows: (read: ReaderFor) => RowsQuery;
  /** how the format tells shipping, fees and other lines that are not products */
  readonly lineRules: LineRules;
  /** the column holding the order id, to find the order of a line the reader could not split */
  readonly orderColumn?: number;
  /**
   * Warnings about the values the rows were read with (a generic `kind` value that is neither a refund
   * nor a sale word), for the report's `warnings`; read from the staged file, so run before it is dropped.
   */
  readonly valueWarnings?: (db: Queryable) => Promise<string[]>;
}

export interface ImportFormat {
  readonly name: FormatName;
  /** True when the file's first line looks like this format's header (or data, for header-less formats). */
  detect(source: SourceFile, header: Header): boolean;
  plan(source: SourceFile, header: Header, options: FormatOptions): ImportPlan;
}
