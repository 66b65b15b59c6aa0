import { SegmintError } from '../../../domain/errors.js';
import type { Header } from '../../csv/header.js';
import { joinWords } from '../../../domain/words.js';

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
    if (i !== undefined) refuseRepeated(header, i, file, format);
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

/**
 * A column a format reads must be the only one of its name: with two, which one holds the data is a
 * guess (trial 7, D3, where the first was taken silently). Refused before anything is read.
 */
function refuseRepeated(header: Header, index: number, file: string, format: string): void {
  const same = header.positions(header.columns[index]!);
  if (same.length < 2) return;
  const name = header.columns[index]!.trim();
  throw new SegmintError(
    'import_repeated_column',
    `${file}: the header has ${same.length} columns named "${name}" (columns ${joinWords(same.map((p) => String(p + 1)))}), and the ${format} format ` +
      `reads one of them; rename or remove the others, or import with --format generic and --map "${name}#1=…" (docs/importing.md)`,
    { file, format, column: name, positions: same.map((p) => p + 1) },
  );
}
