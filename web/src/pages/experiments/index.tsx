import { useState, type FormEvent } from 'react';
import { api, seg } from '../../api/client';
import type { Experiment, ExperimentAnalysis, Segment } from '../../api/types';
import { useAction } from '../../api/useAction';
import { useApi } from '../../api/useApi';
import type { PageProps } from '../../app/pages';
import { href, navigate } from '../../app/router';
import { useCan } from '../../app/session';
import { DataTable } from '../../components/DataTable';
import { fmtDay, fmtInt, fmtNum, fmtPct, fmtTime } from '../../components/format';
import { LiftBars, pct } from '../../components/LiftBars';
import { Empty, ErrorNote, Loading, NeedsAdmin, Section } from '../../components/notes';

/**
 * Experiments (the measurement capability): the list with group sizes and the sample-ratio check, and
 * for one experiment the lifts of every metric against control with 95% intervals drawn as bars with
 * error whiskers, and the analysis in plain words. #/experiments and #/experiments/<name>.
 */
export default function ExperimentsPage({ route }: PageProps) {
  const name = route.parts[1];
  return name === undefined ? <ExperimentList /> : <ExperimentAnalysisPage name={name} window={route.query.get('window') ?? '30d'} />;
}

function ExperimentList() {
  const list = useApi<Experiment[]>('/v1/experiments');
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Experiments</h1>
        <p className="as-of">Random splits of a segment: who got the campaign, who was held out, and what difference it made.</p>
      </div>
      <div className="grid">
        <Section title="Experiments" id="experiment-list" wide>
          <ErrorNote error={list.error} what="Experiments could not be loaded" />
          {list.loading && !list.data && <Loading what="Loading experiments" />}
          {list.data && list.data.length === 0 && (
            <Empty title="No experiments yet.">
              Split a saved segment below, or on the server: <code>segmint experiments create winback --segment at-risk --groups holdout:20,email:80</code>; then send each group
              its message (<code>segmint experiments assignments winback --csv</code>).
            </Empty>
          )}
          {list.data && list.data.length > 0 && (
            <DataTable
              label="Experiments"
              rows={list.data}
              rowKey={(e) => e.name}
              columns={[
                { head: 'experiment', cell: (e) => <a href={href(['experiments', e.name])}>{e.name}</a> },
                { head: 'segment', cell: (e) => e.segment ?? e.source },
                { head: 'groups (customers)', cell: (e) => e.groups.map((g) => `${g.name} ${fmtInt(g.customers)}`).join(', ') },
                { head: 'assigned', cell: (e) => fmtTime(e.assigned_at) },
                { head: 'split check (SRM p)', num: true, cell: (e) => (e.srm_p_value === null ? '–' : <span className={e.srm_p_value < 0.001 ? 'down' : ''}>{fmtNum(e.srm_p_value, 3)}</span>) },
              ]}
            />
          )}
        </Section>
        <CreateExperiment onCreated={(n) => navigate(href(['experiments', n]))} />
      </div>
    </>
  );
}

function CreateExperiment({ onCreated }: { onCreated: (name: string) => void }) {
  const admin = useCan('admin');
  const segments = useApi<Segment[]>(admin ? '/v1/segments' : null);
  const [form, setForm] = useState({ name: '', segment: '', groups: 'control:50,treatment:50', at: '' });
  const { busy, error, run } = useAction();
  if (!admin) {
    return (
      <Section title="Split a segment" id="create-experiment" wide>
        <NeedsAdmin what="Creating an experiment" />
      </Section>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      const made = await api.post<Experiment>('/v1/experiments', { name: form.name.trim(), segment: form.segment, groups: form.groups.trim(), ...(form.at.trim() ? { at: form.at.trim() } : {}) });
      onCreated(made.name);
    });
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <Section title="Split a segment" id="create-experiment" wide>
      <form className="save" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="exp-name">Name</label>
          <input id="exp-name" value={form.name} onChange={set('name')} required />
        </div>
        <div className="field">
          <label htmlFor="exp-segment">Segment</label>
          <select id="exp-segment" value={form.segment} onChange={set('segment')} required>
            <option value="">choose a saved segment</option>
            {segments.data?.map((s) => (
              <option key={s.id} value={s.name}>
                {s.name} ({fmtInt(s.members)})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="exp-groups">Groups, control first</label>
          <input id="exp-groups" value={form.groups} onChange={set('groups')} />
        </div>
        <div className="field">
          <label htmlFor="exp-at">Assign as of (blank: now)</label>
          <input id="exp-at" value={form.at} onChange={set('at')} placeholder="2025-05-01" />
        </div>
        <button type="submit" className="primary" disabled={busy || form.name.trim() === '' || form.segment === ''}>
          {busy ? 'Splitting…' : 'Split at random'}
        </button>
      </form>
      <ErrorNote error={error} what="The experiment could not be created" />
    </Section>
  );
}

function ExperimentAnalysisPage({ name, window }: { name: string; window: string }) {
  const a = useApi<ExperimentAnalysis>(`/v1/experiments/${seg(name)}/analysis`, { window, metric: 'conversion,orders,revenue,aov,email_opens,unsubscribes' });
  const [text, setText] = useState(window);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Experiment “{name}”</h1>
        <a href={href(['experiments'])}>All experiments</a>
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href(['experiments', name], { window: text.trim() }));
        }}
      >
        <label htmlFor="exp-window">Window after assignment</label>
        <input id="exp-window" value={text} onChange={(e) => setText(e.target.value)} aria-describedby={a.error ? 'exp-error' : undefined} />
        <button type="submit">Analyse</button>
      </form>
      <ErrorNote error={a.error} what="The analysis failed" id="exp-error" />
      {a.loading && <Loading what="Comparing the groups" />}
      {a.data && (
        <div className="grid">
          <Section title="What it shows" id="experiment-summary" wide>
            <p className="muted">
              {fmtInt(a.data.customers)} customers, control “{a.data.control}”, {a.data.window_days}-day window, as of {fmtTime(a.data.as_of)}; {fmtInt(a.data.complete_windows)} have had
              their whole window{a.data.window_ends_at ? ` (the last ends ${fmtDay(a.data.window_ends_at)})` : ''}.
            </p>
            <ul className="sentences">
              {a.data.summary.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </Section>
          {a.data.metrics.map((m) => (
            <Section key={m.metric} title={`${m.metric}${m.guardrail ? ' (guardrail)' : ''}`} id={`metric-${m.metric}`}>
              <p className="muted">{m.description}</p>
              <LiftBars
                label={`Relative lift in ${m.metric} against ${a.data!.control}, with 95% intervals`}
                rows={m.groups.filter((g) => g.group !== a.data!.control).map((g) => ({ label: g.group, lift: g.relative_lift }))}
              />
              <DataTable
                label={`${m.metric} by group`}
                rows={m.groups}
                rowKey={(g) => g.group}
                columns={[
                  { head: 'group', cell: (g) => g.group },
                  { head: 'customers', num: true, cell: (g) => fmtInt(g.customers) },
                  { head: m.unit === 'rate' ? 'rate' : 'per customer', num: true, cell: (g) => (g.mean === null ? '–' : m.unit === 'rate' ? fmtPct(g.mean) : fmtNum(g.mean)) },
                  {
                    head: 'relative lift (95% CI)',
                    num: true,
                    cell: (g) => {
                      const l = g.relative_lift;
                      if (!l || l.estimate === null) return '–';
                      return `${pct(l.estimate)}${l.ci95[0] !== null && l.ci95[1] !== null ? ` (${pct(l.ci95[0])} to ${pct(l.ci95[1])})` : ' (interval unbounded)'}`;
                    },
                  },
                  { head: 'p', num: true, cell: (g) => (g.p_value === null ? '–' : fmtNum(g.p_value, 3)) },
                ]}
              />
              {m.groups
                .filter((g) => g.summary)
                .map((g) => (
                  <p key={g.group} className="small">
                    {g.summary}
                  </p>
                ))}
            </Section>
          ))}
        </div>
      )}
    </>
  );
}
