import type { Vocabulary } from '../../api/types';

export interface Completion {
  /** what is inserted in place of the typed part */
  insert: string;
  /** what the list shows */
  label: string;
  /** field type, "event", "segment", "trait" or "keyword" */
  kind: string;
  detail?: string;
}

export interface CompletionContext {
  /** start of the typed part being completed (index into the text) */
  from: number;
  /** the typed part */
  typed: string;
  options: Completion[];
}

const MAX = 8;

/**
 * What may complete the text at the caret: inside a quoted name, the event names of this store (or
 * saved segment names after `in segment`); elsewhere, catalog fields, traits and keywords. Names that
 * start with what was typed come first, then names containing it.
 */
export function completionsAt(text: string, caret: number, vocab: Vocabulary | undefined): CompletionContext | null {
  if (!vocab) return null;
  const before = text.slice(0, caret);
  const quote = openQuote(before);
  if (quote !== null) {
    const typed = before.slice(quote + 1);
    const lead = before.slice(0, quote);
    const segments = /\bin\s+segment\s*$/i.test(lead);
    const names = segments ? vocab.segments.map((s) => ({ name: s, detail: 'saved segment' })) : vocab.events.map((e) => ({ name: e.name, detail: `${e.count.toLocaleString('en-US')} events` }));
    const options = rank(names, typed, (n) => n.name).map((n) => ({
      insert: `${n.name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
      label: n.name,
      kind: segments ? 'segment' : 'event',
      detail: n.detail,
    }));
    return options.length > 0 ? { from: quote + 1, typed, options } : null;
  }
  // A name starts after a space, bracket or operator: the `d` of `90d` or the `e6` of `1e6` is not one.
  const m = /(?:^|[^\w.`"'])([A-Za-z_][\w.]*)$/.exec(before);
  if (!m) return null;
  const typed = m[1]!;
  const words: Completion[] = [
    ...vocab.fields.map((f) => ({ insert: f.name, label: f.name, kind: f.type, detail: f.description })),
    ...vocab.traits.map((t) => ({ insert: `traits.${t.name}`, label: `traits.${t.name}`, kind: 'trait', detail: `a trait of ${t.count.toLocaleString('en-US')} customers` })),
    ...vocab.keywords.map((k) => ({ insert: k, label: k, kind: 'keyword' })),
  ];
  const options = rank(words, typed, (w) => w.label).filter((o) => o.insert !== typed);
  return options.length > 0 ? { from: caret - typed.length, typed, options } : null;
}

/** Index of the `"` opening an unfinished quoted name before the caret, or null. */
function openQuote(before: string): number | null {
  let open: number | null = null;
  for (let i = 0; i < before.length; i++) {
    const ch = before[i];
    if (ch === '\\' && open !== null) i++;
    else if (ch === '"') open = open === null ? i : null;
  }
  return open;
}

function rank<T>(items: readonly T[], typed: string, name: (t: T) => string): T[] {
  const t = typed.toLowerCase();
  const starts = items.filter((i) => name(i).toLowerCase().startsWith(t));
  const contains = t.length >= 2 ? items.filter((i) => !name(i).toLowerCase().startsWith(t) && name(i).toLowerCase().includes(t)) : [];
  return [...starts, ...contains].slice(0, MAX);
}
