import { useState } from 'react';
import { api, seg, type ApiError } from '../api/client';
import type { CustomerSegments, SegmentChange } from '../api/types';
import type { StreamState } from '../api/useChangeStream';
import { asApiError } from '../api/useApi';
import { href } from '../app/router';
import { DataTable } from './DataTable';
import { ExplanationTree } from './Explanation';
import { fmtTime } from './format';
import { ErrorNote, Loading } from './notes';

const STATE_WORDS: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live: changes appear as they happen',
  reconnecting: 'Connection lost; reconnecting…',
  failed: 'Stopped',
};

/** Whether the change stream is open, as a status line screen readers announce when it changes. */
export function StreamStatus({ state }: { state: StreamState }) {
  return (
    <p className={`stream-state stream-${state}`} role="status" data-stream={state}>
      <span className="dot" aria-hidden="true" /> {STATE_WORDS[state]}
    </p>
  );
}

/**
 * Membership changes, newest first: when each came true, the segment, the customer and whether they
 * entered or left. With `explain`, each row can show why: the segment's definition evaluated for that
 * customer at that moment (GET /v1/customers/{id}/segments?explain=true&asOf=…).
 */
export function ChangeTable({ changes, explain }: { changes: readonly SegmentChange[]; explain?: boolean }) {
  return (
    <DataTable
      label="Membership changes, newest first"
      className="changes"
      rows={changes}
      rowKey={(c) => c.cursor}
      columns={[
        { head: 'when (came true)', cell: (c) => <time dateTime={c.at}>{fmtTime(c.at)}</time> },
        { head: 'segment', cell: (c) => (c.segment === null ? <span className="muted">(deleted)</span> : <a href={href(['segments', c.segment])}>{c.segment}</a>) },
        { head: 'customer', cell: (c) => <a href={href(['customers', c.customerId])}>{c.customerId}</a> },
        { head: 'change', cell: (c) => <span className={`change change-${c.change}`} data-testid="change">{c.change === 'entered' ? '→ entered' : '← left'}</span> },
        ...(explain ? [{ head: 'why', cell: (c: SegmentChange) => (c.segment === null ? '–' : <Why change={c} segment={c.segment} />) }] : []),
      ]}
    />
  );
}

function Why({ change, segment }: { change: SegmentChange; segment: string }) {
  const [open, setOpen] = useState(false);
  const [answer, setAnswer] = useState<CustomerSegments['segments'][number] | null>();
  const [error, setError] = useState<ApiError>();
  const toggle = async () => {
    setOpen((o) => !o);
    if (answer !== undefined || open) return;
    try {
      const r = await api.get<CustomerSegments>(`/v1/customers/${seg(change.customerId)}/segments`, { explain: true, asOf: change.at });
      setAnswer(r.segments.find((s) => s.segment === segment) ?? null);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <div className="why">
      <button type="button" aria-expanded={open} onClick={() => void toggle()}>
        {open ? 'Hide' : 'Why?'}
      </button>
      {open && (
        <div className="why-answer" data-testid="why">
          <ErrorNote error={error} what="The explanation could not be loaded" />
          {answer === undefined && !error && <Loading what="Explaining" />}
          {answer === null && <p className="muted">The segment no longer exists.</p>}
          {answer && (
            <>
              <p className="small">
                As of {fmtTime(answer.asOf)} the customer {answer.member ? 'is' : 'is not'} in “{segment}”:
              </p>
              <ExplanationTree node={answer.explanation} />
            </>
          )}
        </div>
      )}
    </div>
  );
}
