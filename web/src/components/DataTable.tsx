import type { ReactNode } from 'react';
import { TableBox } from './notes';

export interface Column<T> {
  head: ReactNode;
  /** right-aligned, tabular figures */
  num?: boolean;
  cell: (row: T) => ReactNode;
  className?: string;
}

/**
 * A table of rows in its own scrolling box (focusable, so keyboards can scroll it on a phone), with a
 * header cell per column. `label` names the table for assistive technology; `caption` is shown.
 */
export function DataTable<T>({ label, columns, rows, rowKey, caption, className }: { label: string; columns: readonly Column<T>[]; rows: readonly T[]; rowKey: (row: T) => string; caption?: ReactNode; className?: string }) {
  return (
    <TableBox label={label}>
      <table className={className}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th scope="col" key={i} className={c.num ? 'num' : undefined}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c, i) => (
                <td key={i} className={[c.num ? 'num' : '', c.className ?? ''].join(' ').trim() || undefined}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}
