import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, seg, type ApiError } from '../../api/client';
import type { DefinitionCheck, Preview, Segment, Vocabulary } from '../../api/types';
import { asApiError, useApi } from '../../api/useApi';
import { inDashboardWords } from '../../api/dashboard-words';
import { href, navigate, type Route } from '../../app/router';
import { useCan } from '../../app/session';
import { customerColumns } from '../../components/customers';
import { DataTable } from '../../components/DataTable';
import { fmtDay, fmtInt, fmtPct } from '../../components/format';
import { ErrorNote, Loading, NeedsAdmin, Section } from '../../components/notes';
import { QueryEditor } from './QueryEditor';

const CHECK_MS = 150;
const COUNT_MS = 450;
/** The labels of the inputs whose API field a message may name (inDashboardWords). */
const LABELS = { asOf: 'Count as of', name: 'Name', query: 'Definition' } as const;

type Source = 'text' | 'json';

/**
 * The segment builder: the text form with problems underlined as you type (POST /v1/segments/check),
 * completions for fields and event names (GET /v1/fields), the live count and a sample of members
 * (POST /v1/segments/preview, debounced), and the JSON form beside it, editable both ways. Saving needs
 * an admin key; the count works with a read key.
 */
export function BuilderPage({ route, editing }: { route: Route; editing?: string }) {
  const admin = useCan('admin');
  const vocab = useApi<Vocabulary>('/v1/fields');
  const existing = useApi<Segment>(editing ? `/v1/segments/${seg(editing)}` : null);
  const [source, setSource] = useState<Source>('text');
  const [text, setText] = useState(route.query.get('query') ?? '');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string>();
  const [check, setCheck] = useState<DefinitionCheck>();
  const [checkError, setCheckError] = useState<ApiError>();
  const [asOf, setAsOf] = useState(route.query.get('asOf') ?? '');
  const [preview, setPreview] = useState<Preview>();
  const [previewError, setPreviewError] = useState<ApiError>();
  const [counting, setCounting] = useState(false);
  const [name, setName] = useState(editing ?? route.query.get('name') ?? '');
  const [description, setDescription] = useState('');
  const [saveError, setSaveError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const ticket = useRef(0);
  const countTicket = useRef(0);

  useEffect(() => {
    if (existing.data) {
      setText(existing.data.query);
      setSource('text');
      setDescription(existing.data.description ?? '');
    }
  }, [existing.data]);

  // Check whichever form the user edited last, shortly after they stop typing.
  const driving = source === 'text' ? text : json;
  useEffect(() => {
    if (driving.trim() === '') {
      setCheck(undefined);
      setJsonError(undefined);
      return;
    }
    let body: unknown;
    if (source === 'json') {
      try {
        body = { definition: JSON.parse(driving) as unknown, ...(editing ? { self: editing } : {}) };
        setJsonError(undefined);
      } catch (e) {
        setJsonError(`Not JSON yet: ${(e as Error).message}`);
        return;
      }
    } else body = { query: driving, ...(editing ? { self: editing } : {}) };
    const my = ++ticket.current;
    const t = setTimeout(() => {
      api
        .post<DefinitionCheck>('/v1/segments/check', body)
        .then((c) => {
          if (my !== ticket.current) return;
          setCheck(c);
          setCheckError(undefined);
          if (c.ok && source === 'text') setJson(JSON.stringify(c.json, null, 2));
          if (c.ok && source === 'json' && c.text !== null) setText(c.text);
        })
        .catch((e: unknown) => my === ticket.current && setCheckError(asApiError(e)));
    }, CHECK_MS);
    return () => clearTimeout(t);
  }, [driving, source, editing]);

  // Count a definition that checks out, debounced a little longer than the check.
  const countable = check?.ok ? check.text : null;
  useEffect(() => {
    if (countable === null || countable === undefined) {
      setCounting(false);
      return;
    }
    const my = ++countTicket.current;
    setCounting(true);
    const t = setTimeout(() => {
      api
        .post<Preview>('/v1/segments/preview', { query: countable, sample: 10, ...(asOf.trim() ? { asOf: asOf.trim() } : {}), ...(editing ? { self: editing } : {}) })
        .then((p) => {
          if (my !== countTicket.current) return;
          setPreview(p);
          setPreviewError(undefined);
        })
        .catch((e: unknown) => {
          if (my !== countTicket.current) return;
          // The count of the definition or moment before does not stay next to the error.
          setPreview(undefined);
          setPreviewError(asApiError(e));
        })
        .finally(() => my === countTicket.current && setCounting(false));
    }, COUNT_MS);
    return () => clearTimeout(t);
  }, [countable, asOf, editing]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!check?.ok || check.text === null) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const body = { query: check.text, description: description.trim() === '' ? null : description.trim() };
      let saved: Segment;
      if (editing) saved = await api.patch<Segment>(`/v1/segments/${seg(editing)}`, { ...body, ...(name !== editing ? { name } : {}) });
      else saved = await api.post<Segment>('/v1/segments', { name: name.trim(), ...body });
      await api.post('/v1/segments/refresh', { name: saved.name, ...(asOf.trim() ? { asOf: asOf.trim() } : {}) });
      navigate(href(['segments', saved.name]));
    } catch (err) {
      setSaveError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  const problems = check?.problems ?? [];
  const textProblems = source === 'text' || check?.ok ? problems.filter((p) => p.path === undefined) : [];
  const asOfError = previewError?.names('asOf') ? previewError : undefined;
  const nameError = saveError && (saveError.names('name') || saveError.code === 'segment_exists' || saveError.code === 'segment_name_invalid') ? saveError : undefined;
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{editing ? `Edit “${editing}”` : 'New segment'}</h1>
        <a href={href(['segments'])}>All segments</a>
      </div>
      <ErrorNote error={existing.error} what="The segment to edit could not be loaded" />
      <ErrorNote error={vocab.error} what="Completions are not available" />
      <div className="builder">
        <Section title="Definition" id="definition-text">
          <label htmlFor="query">Who is in the segment, in the segment language (docs/segment-language.md)</label>
          <p className="help" id="query-help">
            For example <code>orders_count &gt;= 3 and last_order_at &gt; -90d</code> or <code>performed &quot;Checkout Started&quot; within 30d then not &quot;Order Completed&quot; within 1h</code>. Ctrl+Space lists completions.
          </p>
          <QueryEditor
            id="query"
            value={text}
            onChange={(v) => {
              setText(v);
              setSource('text');
            }}
            problems={textProblems}
            vocabulary={vocab.data}
            describedBy="query-help query-problems"
          />
          <ul id="query-problems" className="problems" aria-live="polite">
            {textProblems.map((p, i) => (
              <li key={i} className={`problem-${p.severity}`} data-testid="problem">
                {p.line !== undefined ? `Line ${p.line}, column ${p.column}: ` : ''}
                {p.message}
                {p.hint && <span className="hint"> {p.hint}</span>}
              </li>
            ))}
          </ul>
          <ErrorNote error={checkError} what="The definition could not be checked" />
        </Section>
        <Section title="JSON form" id="definition-json">
          <label htmlFor="json">The same definition as JSON (edit either side)</label>
          <textarea
            id="json"
            className="json-input"
            value={json}
            rows={12}
            spellCheck={false}
            onChange={(e) => {
              setJson(e.target.value);
              setSource('json');
            }}
            aria-describedby="json-problems"
            aria-invalid={jsonError || (source === 'json' && check && !check.ok) ? true : undefined}
          />
          <ul id="json-problems" className="problems" aria-live="polite">
            {jsonError && <li className="problem-error">{jsonError}</li>}
            {source === 'json' &&
              !check?.ok &&
              problems.map((p, i) => (
                <li key={i} className={`problem-${p.severity}`}>
                  {p.path ? `${p.path}: ` : p.line !== undefined ? `Line ${p.line}, column ${p.column} of the text form: ` : ''}
                  {p.message}
                </li>
              ))}
          </ul>
        </Section>
        <Section title="Who is in it" id="count" wide>
          <div className="row">
            <label htmlFor="as-of">Count as of</label>
            <input id="as-of" value={asOf} onChange={(e) => setAsOf(e.target.value)} placeholder="now (or 2025-06-01, 2025-06-01T12:00Z)" aria-invalid={asOfError ? true : undefined} aria-describedby={asOfError ? 'as-of-error' : undefined} />
          </div>
          {asOfError && (
            <p className="field-error" id="as-of-error" role="alert">
              {inDashboardWords(asOfError.message, LABELS)}
            </p>
          )}
          <div className="live-count" aria-live="polite" aria-busy={counting}>
            {!countable && <p className="muted">The count appears once the definition checks out.</p>}
            {countable && preview && preview.query === countable && (
              <p>
                <strong className="count" data-testid="live-count" data-count={preview.count}>
                  {fmtInt(preview.count)}
                </strong>{' '}
                customers, {fmtPct(preview.share)} of {fmtInt(preview.base)}, as of {fmtDay(preview.asOf)}
                {counting && <span className="muted"> (counting again…)</span>}
              </p>
            )}
            {countable && counting && (!preview || preview.query !== countable) && <Loading what="Counting" />}
          </div>
          {previewError && !asOfError && <ErrorNote error={previewError} what="The count failed" />}
          {preview && preview.warnings.length > 0 && (
            <ul className="warnings">
              {preview.warnings.map((w) => (
                <li key={w.message}>{w.message}</li>
              ))}
            </ul>
          )}
          {preview && preview.sample.length > 0 && (
            <DataTable
              label="A sample of members"
              caption={`A sample of ${preview.sample.length} members`}
              rows={preview.sample}
              rowKey={(m) => m.customerId}
              columns={customerColumns((m: Preview['sample'][number]) => ({ id: m.customerId, traits: m.traits, fallbackName: m.customerId, orders: m.ordersCount, spent: m.totalSpent, lastOrder: m.lastOrderAt }))}
            />
          )}
        </Section>
        <Section title={editing ? 'Save the changes' : 'Save as a segment'} id="save" wide>
          {admin ? (
            <form className="save" onSubmit={(e) => void save(e)}>
              <div className="field">
                <label htmlFor="segment-name">Name</label>
                <input
                  id="segment-name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  required
                  aria-invalid={nameError ? true : undefined}
                  aria-describedby={nameError ? 'name-error' : undefined}
                />
                {nameError && (
                  <p className="field-error" id="name-error" role="alert">
                    {inDashboardWords(nameError.message, LABELS)}
                  </p>
                )}
              </div>
              <div className="field">
                <label htmlFor="segment-description">Description (optional)</label>
                <input id="segment-description" value={description} onChange={(e) => setDescription(e.target.value)} />
              </div>
              <button type="submit" className="primary" disabled={saving || !check?.ok || name.trim() === ''}>
                {saving ? 'Saving and counting…' : editing ? 'Save and refresh' : 'Save and refresh'}
              </button>
              {saveError && !nameError && <ErrorNote error={saveError} what="Saving failed" />}
            </form>
          ) : (
            <NeedsAdmin what="Saving a segment" />
          )}
        </Section>
      </div>
    </>
  );
}
