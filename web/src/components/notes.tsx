import type { CSSProperties, ReactNode } from 'react';
import type { ApiError } from '../api/client';

/**
 * An API error in the server's own words, placed next to what caused it. `what` says which action or
 * part of the page failed; the code is shown small for bug reports and searches.
 */
export function ErrorNote({ error, what, id }: { error: ApiError | undefined | null; what?: string; id?: string }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert" id={id}>
      {what && <strong>{what}: </strong>}
      <span className="error-message">{error.message}</span> <code className="error-code">{error.code}</code>
    </div>
  );
}

/** What an empty part of the page needs before it can show something, and how to get there. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-next">{children}</div>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

export function Stat({ label, value, sub, testId }: { label: string; value: ReactNode; sub?: ReactNode; testId?: string }) {
  // A figure (no letters: 8,300,065.81, 12.5%) is never broken across lines: a long one is drawn smaller
  // to fit its card (styles.css). Words (a category, a cluster's name) wrap between words as text does.
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  const figure = text !== undefined && !/\p{L}/u.test(text);
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className={figure ? 'stat-value figure' : 'stat-value'} style={figure ? ({ '--chars': text.length } as CSSProperties) : undefined}>
        {value}
      </div>
      {sub && <div className="stat-sub">{sub}</div>}
    </div>
  );
}

/** A titled part of a page; `id` makes it a landmark-free anchor that tests and links can reach. */
export function Section({ title, id, actions, children, wide }: { title: string; id: string; actions?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <section className={`card${wide ? ' wide' : ''}`} aria-labelledby={`${id}-title`} id={id}>
      <div className="card-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions && <div className="card-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** A table that may be wider than the screen: the scrolling box is focusable so keyboards can scroll it. */
export function TableBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-box" tabIndex={0} role="region" aria-label={`${label} (table)`}>
      {children}
    </div>
  );
}

/** Text of an admin-only control a read key sees instead of the control. */
export function NeedsAdmin({ what }: { what: string }) {
  return <p className="needs-admin">{what} needs an admin key; this key may only read.</p>;
}
