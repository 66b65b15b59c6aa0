import { int, money, renderTable } from '../format/table.js';
import type { RfmGrid } from './grid.js';

/** The text form of `segmint rfm grid`: one row per R score, one column per F score; each cell customers (mean monetary). */
export function formatGrid(g: RfmGrid): string {
  const fs = Array.from({ length: g.bins }, (_, i) => g.bins - i).reverse();
  const rows = Array.from({ length: g.bins }, (_, i) => g.bins - i).map((r) => [
    `R${r}`,
    ...fs.map((f) => {
      const c = g.cells.find((x) => x.r === r && x.f === f)!;
      return c.customers === 0 ? '-' : `${int(c.customers)} (${money(c.mean_monetary)})`;
    }),
  ]);
  return [
    `RFM grid of the snapshot as of ${g.as_of}: ${int(g.scored)} customers; each cell: customers (mean monetary)`,
    renderTable(['', ...fs.map((f) => `F${f}`)], rows),
    'A cell is the segment `rfm.r = R and rfm.f = F`.',
  ].join('\n');
}
