import { SegmintError } from '../../../domain/errors.js';
import { Header } from '../../csv/header.js';
import type { DateEvidence, DateOrder, DecimalLayout, FieldLayout, LayoutNote, NumberEvidence, TypedField } from './types.js';

/** --decimal and --date-format as given: each `VALUE` (every column) or `Column=VALUE` (one column). */
export interface LayoutOptions {
  readonly decimal?: readonly string[];
  readonly dateFormat?: readonly string[];
}

export interface Decisions {
  readonly layouts: ReadonlyMap<string, FieldLayout>;
  readonly notes: readonly LayoutNote[];
  readonly warnings: readonly string[];
}

const DECIMALS: Readonly<Record<string, 'point' | 'comma'>> = { point: 'point', dot: 'point', '.': 'point', comma: 'comma', ',': 'comma' };
const ORDERS: readonly string[] = ['ymd', 'dmy', 'mdy'];

/**
 * Decides how each typed column is read (rules: docs/importing.md, "Numbers and dates"):
 * 1. an option for the column, else an option for every column;
 * 2. else the column's own values: only decimal-point (or only decimal-comma) readings decide it; both
 *    kinds make it mixed (each value read the one way it can be, with a warning); for dates likewise
 *    day-first against month-first values;
 * 3. a column whose values tell nothing takes the layout the file's other columns agree on (`file`);
 *    failing that it stays unknown, and a value the layouts read differently is an error of its row.
 */
export function decideLayouts(file: string, fields: readonly TypedField[], evidence: ReadonlyMap<string, NumberEvidence | DateEvidence>, options: LayoutOptions): Decisions {
  const decimal = parseOptions(file, fields, options.decimal ?? [], '--decimal', (v) => DECIMALS[v.toLowerCase()], 'point or comma');
  const dates = parseOptions(file, fields, options.dateFormat ?? [], '--date-format', dateOption, 'dmy, mdy, ymd or a strptime format such as %d.%m.%Y %H:%M');
  const layouts = new Map<string, FieldLayout>();
  const warnings: string[] = [];

  for (const f of fields) {
    const given = f.type === 'time' ? dates.of(f) : decimal.of(f);
    if (given !== undefined) {
      layouts.set(f.key, f.type === 'time' ? dateLayout(given) : { type: 'number', layout: given as DecimalLayout, source: 'option' });
      continue;
    }
    if (f.type === 'time') {
      const e = evidence.get(f.key) as DateEvidence | undefined;
      const layout: DateOrder = !e ? 'unknown' : e.dmy > 0 && e.mdy > 0 ? 'mixed' : e.dmy > 0 ? 'dmy' : e.mdy > 0 ? 'mdy' : e.ambiguous > 0 ? 'unknown' : 'ymd';
      if (layout === 'mixed') warnings.push(`column "${f.column}" has dates only day-first can read (${e!.dmy}) and dates only month-first can read (${e!.mdy}); each is read the one way it can be`);
      layouts.set(f.key, { type: 'date', layout, source: 'detected' });
    } else {
      const e = evidence.get(f.key) as NumberEvidence | undefined;
      const layout: DecimalLayout = !e ? 'unknown' : e.point > 0 && e.comma > 0 ? 'mixed' : e.point > 0 ? 'point' : e.comma > 0 ? 'comma' : 'unknown';
      if (layout === 'mixed') warnings.push(`column "${f.column}" has numbers written with a decimal comma (${e!.comma}) and with a decimal point (${e!.point}); each is read the one way it can be`);
      layouts.set(f.key, { type: 'number', layout, source: 'detected' });
    }
  }
  fillFromFile(fields, layouts, 'number', ['point', 'comma']);
  fillFromFile(fields, layouts, 'date', ['dmy', 'mdy']);
  const notes = fields.map((f): LayoutNote => {
    const l = layouts.get(f.key)!;
    return { column: f.column, type: l.type, layout: l.layout === 'format' ? l.format : l.layout, source: l.source };
  });
  return { layouts, notes, warnings };
}

/** Columns left unknown take the one layout the file's decided columns of the same type agree on. */
function fillFromFile(fields: readonly TypedField[], layouts: Map<string, FieldLayout>, type: 'number' | 'date', telling: readonly string[]): void {
  const mine = fields.filter((f) => layouts.get(f.key)!.type === type);
  const agreed = new Set(mine.map((f) => layouts.get(f.key)!.layout).filter((l) => telling.includes(l)));
  if (agreed.size !== 1) return;
  const layout = [...agreed][0]!;
  for (const f of mine) {
    if (layouts.get(f.key)!.layout !== 'unknown') continue;
    layouts.set(f.key, type === 'date' ? { type: 'date', layout: layout as DateOrder, source: 'file' } : { type: 'number', layout: layout as DecimalLayout, source: 'file' });
  }
}

function dateOption(v: string): string | undefined {
  const t = v.trim();
  if (ORDERS.includes(t.toLowerCase())) return t.toLowerCase();
  return t.includes('%') ? t : undefined;
}

function dateLayout(given: string): FieldLayout {
  return ORDERS.includes(given) ? { type: 'date', layout: given as DateOrder, source: 'option' } : { type: 'date', layout: 'format', format: given, source: 'option' };
}

/**
 * Option values against the file's typed columns: `Column=VALUE` names one column (as the header spells
 * it, any case), a bare VALUE every column of its type. An unknown column or value is an error that
 * lists what is accepted.
 */
function parseOptions(
  file: string,
  fields: readonly TypedField[],
  values: readonly string[],
  flag: string,
  read: (v: string) => string | undefined,
  accepted: string,
): { of: (f: TypedField) => string | undefined } {
  const isDate = flag === '--date-format';
  const mine = fields.filter((f) => (f.type === 'time') === isDate);
  let all: string | undefined;
  const byColumn = new Map<string, string>();
  for (const raw of values) {
    const target = mine.find((f) => Header.key(raw).startsWith(Header.key(f.column) + '='));
    const value = target ? raw.slice(raw.indexOf('=', target.column.trim().length) + 1) : raw;
    const parsed = read(value.trim());
    if (parsed === undefined) {
      const eq = raw.indexOf('=');
      const hint =
        eq > 0 && !target
          ? `there is no ${isDate ? 'date' : 'number'} column "${raw.slice(0, eq)}" (they are: ${mine.map((f) => f.column).join(', ') || 'none'})`
          : `expected ${accepted}`;
      throw new SegmintError('import_bad_option', `${file}: ${flag} ${raw}: ${hint}`, { file, option: flag, value: raw });
    }
    if (target) byColumn.set(target.key, parsed);
    else all = parsed;
  }
  return { of: (f) => byColumn.get(f.key) ?? all };
}
