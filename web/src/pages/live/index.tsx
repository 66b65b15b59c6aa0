import type { RealtimeStatus, Segment } from '../../api/types';
import { useChangeStream } from '../../api/useChangeStream';
import { useApi } from '../../api/useApi';
import type { PageProps } from '../../app/pages';
import { href, navigate } from '../../app/router';
import { ChangeTable, StreamStatus } from '../../components/changes';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { DataTable } from '../../components/DataTable';
import { fmtInt, fmtTime } from '../../components/format';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';

/**
 * Live changes (real-time segments): customers entering and leaving saved segments as it happens, from
 * the change stream of every segment or of one (#/live?segment=NAME), each with why; and what the
 * real-time engine keeps live (or refuses, with why).
 */
export default function LivePage({ route }: PageProps) {
  const segment = route.query.get('segment') ?? undefined;
  const stream = useChangeStream({ segment });
  const segments = useApi<Segment[]>('/v1/segments');
  const status = useApi<RealtimeStatus>('/v1/realtime/status');
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Live changes</h1>
        <p className="as-of">Who enters and who leaves each saved segment, the moment it comes true: after an event, an import, or when time alone changes it.</p>
      </div>
      <div className="grid">
        <Section
          title={segment ? `Changes of “${segment}”` : 'Changes of every segment'}
          id="live-changes"
          wide
          actions={
            <ChoiceSelect
              id="live-segment"
              label="Segment"
              value={segment ?? ''}
              options={segments.data?.map((s) => s.name) ?? []}
              any="every segment"
              onChange={(v) => navigate(href(['live'], { segment: v || undefined }))}
            />
          }
        >
          <StreamStatus state={stream.state} />
          <ErrorNote error={stream.error} what={stream.state === 'failed' ? 'The change stream stopped' : 'The change stream was interrupted'} />
          {stream.state === 'connecting' && stream.changes.length === 0 && <Loading what="Reading the latest changes" />}
          {stream.state !== 'connecting' && stream.changes.length === 0 && !stream.error && (
            <Empty title="No membership changes yet.">
              {segments.data?.length === 0 ? (
                <>
                  Save a segment first, in the <a href={href(['segments', 'new'])}>segment builder</a>.
                </>
              ) : (
                <>
                  They appear here as they happen: send events to <code>POST /v1/track</code>, import data, or refresh segments.
                </>
              )}
            </Empty>
          )}
          {stream.changes.length > 0 && <ChangeTable changes={stream.changes} explain />}
        </Section>
        <Section title="Kept live" id="live-engine" wide>
          <ErrorNote error={status.error} what="The engine's status could not be loaded" />
          {status.loading && !status.data && <Loading what="Asking the engine" />}
          {status.data && !status.data.running && (
            <Empty title="The real-time engine is not running on this server.">Segments change when they are refreshed: <code>segmint segments refresh</code>.</Empty>
          )}
          {status.data?.running && (
            <>
              <p className="muted">
                {fmtInt(status.data.customers)} customers kept in memory; every change up to {fmtTime(status.data.watermark)} is recorded
                {status.data.nextChangeAt ? `; the next change that time alone makes is due ${fmtTime(status.data.nextChangeAt)}` : ''}.
              </p>
              {(status.data.segments?.length ?? 0) > 0 && (
                <DataTable
                  label="Segments kept live"
                  rows={status.data.segments!}
                  rowKey={(s) => s.segmentId}
                  columns={[
                    { head: 'segment', cell: (s) => <a href={href(['live'], { segment: s.name })}>{s.name}</a> },
                    { head: 'members now', num: true, cell: (s) => fmtInt(s.members) },
                    { head: 'evaluations since start', num: true, cell: (s) => fmtInt(s.evaluations) },
                  ]}
                />
              )}
              {(status.data.refused?.length ?? 0) > 0 && (
                <>
                  <h3>Not kept live (refreshed in bulk only)</h3>
                  <ul className="warnings">
                    {status.data.refused!.map((r) => (
                      <li key={r.segmentId}>
                        <strong>{r.name}</strong>: {r.reason}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </Section>
      </div>
    </>
  );
}
