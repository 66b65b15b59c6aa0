import { SegmintError } from '../../../domain/errors.js';
import { isConsentTrait } from '../../../privacy/consent/channels.js';
import { genericRows, genericTyped, unknownKindValues, type UnknownKindValue, type GenericField, type GenericMapping, type Mapped } from '../../../store/queries/import/rows/generic.js';
import type { Header } from '../../csv/header.js';
import type { ImportFormat } from './types.js';
import { excerpt } from '../../../domain/excerpt.js';
import { countOf, joinWords } from '../../../domain/words.js';

export const GENERIC_FIELDS: readonly GenericField[] = [
  'user_id', 'email', 'anonymous_id', 'order_id', 'placed_at', 'product_id', 'product_name', 'category',
  'quantity', 'price', 'amount', 'currency', 'kind', 'cancelled', 'line_kind', 'updated_at',
  'consent.email', 'consent.sms', 'consent.push', 'consent.ads',
];
const TRAIT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function fail(file: string, message: string, details: Record<string, unknown> = {}): never {
  throw new SegmintError('import_bad_mapping', `${file}: ${message}`, { file, ...details });
}

/**
 * Reads `column=field` pairs (the column as the header spells it; the last `=` separates) against the
 * header, and checks that the mapping describes either order lines or customers.
 */
export function parseMapping(file: string, header: Header, pairs: readonly string[], currency: string | null): GenericMapping {
  if (pairs.length === 0) {
    fail(file, 'a generic import needs --map column=field pairs, e.g. --map "Order=order_id" --map "Date=placed_at" --map "Total=amount" --map "E-mail=email"');
  }
  const fields: Partial<Record<GenericField, Mapped>> = {};
  const traits: [string, Mapped][] = [];
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0 || eq === pair.length - 1) fail(file, `--map ${pair}: expected column=field`);
    const column = pair.slice(0, eq).trim();
    const field = pair.slice(eq + 1).trim();
    const at = header.address(column);
    if (at === undefined) {
      fail(file, `--map ${pair}: there is no column "${column}"; the header has: ${header.columns.join(', ')}`, { column });
    }
    if ('ambiguous' in at) {
      // Trial 7, D3: the first of two columns was taken silently, and the second could not be named.
      const name = header.columns[at.ambiguous[0]!]!.trim();
      fail(
        file,
        `--map ${pair}: the header has ${at.ambiguous.length} columns named "${name}" (columns ${joinWords(at.ambiguous.map((i) => String(i + 1)))}); ` +
          `name one as ${joinWords(at.ambiguous.map((_, k) => `"${name}#${k + 1}"`), 'or')}`,
        { column, positions: at.ambiguous.map((i) => i + 1) },
      );
    }
    const mapped: Mapped = { index: at.index, column: at.spelling };
    if (field.startsWith('trait.')) {
      const name = field.slice('trait.'.length);
      if (!TRAIT_NAME.test(name)) fail(file, `--map ${pair}: a trait name is letters, digits and _ (got "${name}")`);
      if (isConsentTrait(name)) {
        fail(file, `--map ${pair}: ${name} is consent, not a trait; map it as consent.${name.replace(/_consent$/i, '')} (channels: email, sms, push, ads)`);
      }
      if (traits.some(([n]) => n === name)) fail(file, `--map ${pair}: trait.${name} is mapped twice`);
      traits.push([name, mapped]);
      continue;
    }
    if (!(GENERIC_FIELDS as readonly string[]).includes(field)) {
      fail(file, `--map ${pair}: unknown field "${field}"; fields are ${GENERIC_FIELDS.join(', ')} and trait.<name>`, { field });
    }
    const f = field as GenericField;
    if (fields[f]) fail(file, `--map ${pair}: ${f} is already mapped to "${fields[f].column}"`);
    fields[f] = mapped;
  }
  const orderish = (['placed_at', 'product_id', 'product_name', 'category', 'quantity', 'price', 'amount', 'kind', 'cancelled', 'line_kind'] as const).filter(
    (k) => fields[k] !== undefined,
  );
  if (fields.order_id || orderish.length > 0) {
    const missing: string[] = [];
    if (!fields.order_id) missing.push('order_id');
    if (!fields.placed_at) missing.push('placed_at');
    if (!fields.amount && !fields.price) missing.push('amount (or price)');
    if (missing.length > 0) fail(file, `order lines need a mapping for ${missing.join(', ')}`, { missing });
  } else if (!fields.user_id && !fields.email && !fields.anonymous_id) {
    fail(file, 'map at least one identifier (user_id, email or anonymous_id), or order_id with placed_at and amount', {
      missing: ['user_id|email|anonymous_id'],
    });
  }
  return { fields, traits, currency };
}

export const generic: ImportFormat = {
  name: 'generic',
  // Never guessed: a generic import is asked for, with its mapping.
  detect: () => false,
  plan(source, header, options) {
    const mapping = parseMapping(source.path, header, options.map, options.currency ?? null);
    return {
      format: 'generic',
      staging: { kind: 'delimited', delimiter: header.delimiter, columns: header.columns.length },
      typed: genericTyped(mapping),
      rows: (read) => genericRows(mapping, read),
      // A mapped line_kind column says what each line is; otherwise line names are matched.
      lineRules: { names: mapping.fields.line_kind === undefined },
      orderColumn: mapping.fields.order_id?.index,
      valueWarnings: async (db) => kindWarnings(await unknownKindValues(db, mapping), mapping.fields.kind?.column),
    };
  },
};

/**
 * The warning for kind values that are neither refund nor sale words (unknownKindValues), read as
 * sales: how many rows and distinct values, the first ones with their rows and first lines, and the
 * refund words to write instead. No warning when there are none.
 */
export function kindWarnings(found: { values: readonly UnknownKindValue[]; distinct: number }, column: string | undefined): string[] {
  if (found.values.length === 0 || column === undefined) return [];
  const rows = found.values.reduce((n, v) => n + v.rows, 0);
  const lines = (v: UnknownKindValue): string => `${v.lines.length === 1 ? 'line' : 'lines'} ${v.lines.join(', ')}${v.rows > v.lines.length ? ', …' : ''}`;
  const listed = found.values.map((v) => `${JSON.stringify(excerpt(v.value, 40))} (${countOf(v.rows, 'row')}: ${lines(v)})`).join(', ');
  const more = found.distinct > found.values.length ? ` and ${countOf(found.distinct - found.values.length, 'more value')}` : '';
  return [
    `the kind column "${column}" has ${countOf(found.distinct, 'value')} that ${found.distinct === 1 ? 'is' : 'are'} neither a refund nor a sale word, read as ${found.distinct === 1 && rows === 1 ? 'a sale' : 'sales'}: ${listed}${more}. ` +
      `Only refund, return, cancel(led), cancellation and credit (any case) make a row a refund.`,
  ];
}
