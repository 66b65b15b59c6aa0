import { SegmintError } from '../../../domain/errors.js';
import type { Header } from '../../csv/header.js';

/** For each role, the header names it may go by (first found wins). */
export type RoleNames<R extends string> = Readonly<Record<R, readonly string[]>>;

/**
 * Finds every role's column in the header by name (never by position); a missing required role is an
 * error that names the file, the columns it expected and the header it found.
 */
export function locate<R extends string>(
  header: Header,
  roles: RoleNames<R>,
  required: readonly R[],
  file: string,
  format: string,
): { cols: Record<R, number | undefined>; names: Record<R, string> } {
  const cols = {} as Record<R, number | undefined>;
  const names = {} as Record<R, string>;
  for (const role of Object.keys(roles) as R[]) {
    const i = header.find(...roles[role]);
    cols[role] = i;
    names[role] = i === undefined ? roles[role][0]! : header.columns[i]!;
  }
  const missing = required.filter((r) => cols[r] === undefined);
  if (missing.length > 0) {
    throw new SegmintError(
      'import_missing_columns',
      `${file}: a ${format} file needs the column(s) ${missing.map((r) => `"${roles[r].join('" or "')}"`).join(', ')}; ` +
        `the header has: ${header.columns.join(', ')}`,
      { file, format, missing },
    );
  }
  return { cols, names };
}
