import { readUserFile } from '../../domain/system-errors.js';
import { SegmintError } from '../../domain/errors.js';
import type { Summaries } from './summary.js';

const COLUMNS = {
  id: ['cust', 'customer_id', 'id'],
  x: ['x', 'frequency'],
  tx: ['t.x', 't_x', 'tx', 'recency'],
  T: ['T.cal', 'T_cal', 'T'],
  xStar: ['x.star', 'x_star'],
  mx: ['m.x', 'm_x', 'mx', 'monetary_value'],
} as const;

/**
 * Reads calibration summaries from CSV files in the layout of the BTYD literature (e.g.
 * ../shared/data/cdnow-summary-full-precision.csv: `cust,x,t.x,T.cal,x.star`) and, optionally, a spend
 * file `cust,m.x` joined on the id. Times are taken as they are, in whatever unit the file uses.
 */
export function readSummaryCsv(file: string, spendFile?: string): Summaries {
  const rows = parseCsv(file);
  const header = rows.header;
  const col = (names: readonly string[], required: boolean): number => {
    const i = header.findIndex((h) => names.includes(h));
    if (i < 0 && required) {
      throw new SegmintError('clv_summary_column', `${file}: line 1: no column ${names.map((n) => `"${n}"`).join(' or ')}.`, { file });
    }
    return i;
  };
  const ci = col(COLUMNS.id, true);
  const cx = col(COLUMNS.x, true);
  const ctx = col(COLUMNS.tx, true);
  const cT = col(COLUMNS.T, true);
  const cStar = col(COLUMNS.xStar, false);
  let spend: Map<string, number> | undefined;
  if (spendFile) {
    const s = parseCsv(spendFile);
    const si = s.header.findIndex((h) => (COLUMNS.id as readonly string[]).includes(h));
    const sm = s.header.findIndex((h) => (COLUMNS.mx as readonly string[]).includes(h));
    if (si < 0 || sm < 0) {
      throw new SegmintError('clv_summary_column', `${spendFile}: line 1: expected columns "cust" and "m.x".`, { file: spendFile });
    }
    spend = new Map(s.rows.map(({ cells, line }) => [cells[si] ?? '', number(spendFile, line, 'm.x', cells[sm])]));
  }
  const n = rows.rows.length;
  const out = {
    ids: [] as string[],
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    mx: new Float64Array(n).fill(NaN),
    xStar: new Float64Array(n).fill(NaN),
  };
  rows.rows.forEach(({ cells, line }, i) => {
    const id = cells[ci] ?? '';
    out.ids.push(id);
    const x = number(file, line, 'x', cells[cx]);
    const tx = number(file, line, 't.x', cells[ctx]);
    const T = number(file, line, 'T.cal', cells[cT]);
    if (x < 0 || tx < 0 || T < tx || !Number.isInteger(x)) {
      throw new SegmintError('clv_summary_value', `${file}: line ${line}: need an integer x ≥ 0 and 0 ≤ t.x ≤ T.cal (x=${x}, t.x=${tx}, T.cal=${T}).`, {
        file,
        line,
      });
    }
    out.x[i] = x;
    out.tx[i] = tx;
    out.T[i] = T;
    if (cStar >= 0) out.xStar[i] = number(file, line, 'x.star', cells[cStar]);
    const m = spend?.get(id);
    if (m !== undefined) out.mx[i] = m;
  });
  return out;
}

function parseCsv(file: string): { header: string[]; rows: { cells: string[]; line: number }[] } {
  const text = readUserFile(file, 'the summary file');
  const lines = text.split(/\r?\n/);
  const unquote = (c: string) => c.trim().replace(/^"(.*)"$/, '$1');
  const header = (lines[0] ?? '').split(',').map(unquote);
  const rows: { cells: string[]; line: number }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l.trim() === '') continue;
    rows.push({ cells: l.split(',').map(unquote), line: i + 1 });
  }
  return { header, rows };
}

function number(file: string, line: number, field: string, raw: string | undefined): number {
  const v = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(v)) {
    throw new SegmintError('clv_summary_value', `${file}: line ${line}: ${field} is not a number (${JSON.stringify(raw ?? '')}).`, {
      file,
      line,
      field,
    });
  }
  return v;
}
