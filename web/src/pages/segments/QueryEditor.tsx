import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Problem, Vocabulary } from '../../api/types';
import { completionsAt, type CompletionContext } from './completions';

interface Props {
  id: string;
  value: string;
  onChange: (text: string) => void;
  problems: readonly Problem[];
  vocabulary: Vocabulary | undefined;
  describedBy?: string;
}

/**
 * The text form of a definition, edited in a plain textarea over a copy of the same text in which each
 * problem the server found is underlined at its line and column (the copy is hidden from assistive
 * technology; the problems are also listed as text, which the textarea points to). Completions for the
 * word at the caret open below it: arrows choose, Enter or Tab insert, Escape closes.
 */
export function QueryEditor({ id, value, onChange, problems, vocabulary, describedBy }: Props) {
  const area = useRef<HTMLTextAreaElement>(null);
  const backdrop = useRef<HTMLPreElement>(null);
  const mirror = useRef<HTMLPreElement>(null);
  const [caret, setCaret] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [pos, setPos] = useState({ left: 0, top: 0 });
  const listId = `${id}-completions`;
  // Where the caret goes once an accepted completion is in the text: set in the same commit as the new
  // text, before the next key is handled, so fast typing after Enter lands after the completion.
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = pendingCaret.current;
    if (at === null || !area.current) return;
    pendingCaret.current = null;
    area.current.setSelectionRange(at, at);
    setCaret(at);
  }, [value]);

  const ctx: CompletionContext | null = useMemo(() => (open ? completionsAt(value, caret, vocabulary) : null), [open, value, caret, vocabulary]);
  const shown = ctx !== null && ctx.options.length > 0;

  useLayoutEffect(() => {
    if (!shown || !mirror.current || !area.current) return;
    const marker = mirror.current.querySelector('span.caret');
    if (marker instanceof HTMLElement) {
      setPos({ left: Math.min(marker.offsetLeft, area.current.clientWidth - 220), top: marker.offsetTop + marker.offsetHeight - area.current.scrollTop + 4 });
    }
  }, [shown, caret, value]);

  const syncScroll = () => {
    if (backdrop.current && area.current) {
      backdrop.current.scrollTop = area.current.scrollTop;
      backdrop.current.scrollLeft = area.current.scrollLeft;
    }
  };

  const accept = (i: number) => {
    if (!ctx) return;
    const o = ctx.options[i];
    if (!o) return;
    const next = value.slice(0, ctx.from) + o.insert + value.slice(caret);
    const at = ctx.from + o.insert.length;
    pendingCaret.current = at;
    onChange(next);
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!shown) {
      if (e.key === ' ' && e.ctrlKey) {
        e.preventDefault();
        setOpen(true);
      }
      return;
    }
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % ctx.options.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a - 1 + ctx.options.length) % ctx.options.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
    }
  };

  const errors = problems.filter((p) => p.line !== undefined);
  return (
    <div className="editor">
      <pre className="editor-text editor-backdrop" ref={backdrop} aria-hidden="true">
        {underline(value, errors)}
        {'\n'}
      </pre>
      <pre className="editor-text editor-mirror" ref={mirror} aria-hidden="true">
        {value.slice(0, caret)}
        <span className="caret">{'\u200b'}</span>
        {value.slice(caret)}
      </pre>
      <textarea
        id={id}
        ref={area}
        className="editor-text editor-input"
        value={value}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        rows={4}
        aria-invalid={problems.some((p) => p.severity === 'error') ? true : undefined}
        aria-describedby={describedBy}
        aria-autocomplete="list"
        aria-controls={listId}
        aria-activedescendant={shown ? `${listId}-${active}` : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          setCaret(e.target.selectionStart);
          setOpen(true);
          setActive(0);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onScroll={syncScroll}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul id={listId} role="listbox" aria-label="Completions" className="completions" hidden={!shown} style={{ left: pos.left, top: pos.top }}>
        {shown &&
          ctx.options.map((o, i) => (
            <li
              key={o.insert}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(i);
              }}
            >
              <span className="completion-label">{o.label}</span> <span className="completion-kind">{o.kind}</span>
              {o.detail && <span className="completion-detail">{o.detail}</span>}
            </li>
          ))}
      </ul>
    </div>
  );
}

/** Offset in text of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return Math.min(text.length, at + Math.max(0, column - 1));
}

/** The text with each problem's span wrapped in a mark (first problem wins where spans overlap). */
function underline(text: string, problems: readonly Problem[]) {
  const spans = problems
    .map((p, i) => {
      const from = offsetOf(text, p.line!, p.column ?? 1);
      let to = p.endLine !== undefined && p.endColumn !== undefined ? offsetOf(text, p.endLine, p.endColumn) : from;
      if (to <= from) to = Math.max(from + 1, from + (/^[\w.]+/.exec(text.slice(from))?.[0].length ?? 1));
      return { from, to: Math.min(to, Math.max(text.length, from + 1)), p, i };
    })
    .sort((a, b) => a.from - b.from);
  const out: ReactNode[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.from < at) continue;
    out.push(text.slice(at, s.from));
    const piece = text.slice(s.from, s.to);
    out.push(
      <mark key={s.i} className={`problem problem-${s.p.severity}`} data-line={s.p.line} data-column={s.p.column} data-severity={s.p.severity}>
        {piece === '' ? ' ' : piece}
      </mark>,
    );
    at = s.to;
  }
  out.push(text.slice(at));
  return out;
}
