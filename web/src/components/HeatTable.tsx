import type { ReactNode } from 'react';
import { heatColour, textOn } from './heat';
import { TableBox } from './notes';

/**
 * A matrix as an HTML table whose cells are coloured by their value (0 to the largest), each with the
 * text colour readable on it. Being a table, it reads row by row with its headers to a screen reader,
 * and cells can hold buttons, unlike a canvas heat map.
 */
export function HeatTable<R, C>({
  label,
  className,
  corner,
  rows,
  columns,
  rowHead,
  colHead,
  value,
  cell,
}: {
  label: string;
  className: string;
  corner: ReactNode;
  rows: readonly R[];
  columns: readonly C[];
  rowHead: (r: R) => ReactNode;
  colHead: (c: C) => ReactNode;
  value: (r: R, c: C) => number;
  cell: (r: R, c: C, v: number) => ReactNode;
}) {
  const max = Math.max(1, ...rows.flatMap((r) => columns.map((c) => value(r, c))));
  return (
    <TableBox label={label}>
      <table className={`heat-table ${className}`}>
        <thead>
          <tr>
            <th scope="col">{corner}</th>
            {columns.map((c, i) => (
              <th scope="col" key={i}>
                {colHead(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row">{rowHead(r)}</th>
              {columns.map((c, j) => {
                const v = value(r, c);
                const bg = heatColour(v / max);
                return (
                  <td key={j} style={{ background: bg, color: textOn(bg) }}>
                    {cell(r, c, v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}
