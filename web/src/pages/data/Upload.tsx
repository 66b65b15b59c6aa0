import { useState, type ChangeEvent } from 'react';
import { api, type ApiError } from '../../api/client';
import type { ImportPreview, UploadAnswer } from '../../api/types';
import { asApiError } from '../../api/useApi';
import { useJob } from '../../api/useJob';
import { useCan } from '../../app/session';
import { fmtBytes, fmtInt } from '../../components/format';
import { JobProgress } from '../../components/JobProgress';
import { ErrorNote, NeedsAdmin, Section, TableBox } from '../../components/notes';

const FORMATS = ['auto', 'online-retail', 'shopify-orders', 'shopify-customers', 'cdnow', 'generic'];

interface ImportReport {
  file: string;
  format: string;
  rows: number;
  imported: number;
  skipped: number;
  /** rows of erased customers left out (docs/privacy.md), counted apart from the malformed ones */
  erased_skipped: number;
  customers: number;
  orders: number;
  refunds: number;
  orders_new: number;
  orders_already_present: number;
  lines_without_customer: number;
  errors: { line: number; reason: string }[];
  errors_total: number;
  seconds: number;
}

/**
 * Importing a file from the browser: upload it (progress of the transfer), see the format segmint
 * detected and the first rows as the importer splits them, choose another format or a mapping if
 * needed, then import (progress by import phase) and read the report.
 */
export function Upload({ onImported }: { onImported: () => void }) {
  const admin = useCan('admin');
  const [sent, setSent] = useState<number>();
  const [answer, setAnswer] = useState<UploadAnswer>();
  const [error, setError] = useState<ApiError>();
  const [format, setFormat] = useState('auto');
  const [map, setMap] = useState('');
  const [inputKey, setInputKey] = useState(0);
  const run = useJob<ImportReport>((j) => j.state === 'done' && onImported());

  if (!admin) {
    return (
      <Section title="Import a file" id="upload" wide>
        <NeedsAdmin what="Importing" />
        <p>
          On the server: <code>segmint import orders.csv</code> (Shopify exports, the Online Retail layout, CDNOW, or any CSV with <code>--map</code>).
        </p>
      </Section>
    );
  }

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setError(undefined);
    setAnswer(undefined);
    setFormat('auto');
    setSent(0);
    try {
      setAnswer(await api.upload<UploadAnswer>('/v1/uploads', file, { name: file.name }, setSent));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSent(undefined);
    }
  };
  const mapping = map
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const repreview = async (fmt: string) => {
    if (!answer) return;
    setFormat(fmt);
    setError(undefined);
    try {
      setAnswer(await api.post<UploadAnswer>(`/v1/uploads/${answer.upload.id}/preview`, { format: fmt, map: mapping }));
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const report = run.job?.state === 'done' ? run.job.result : null;
  return (
    <Section title="Import a file" id="upload" wide>
      <label htmlFor="upload-file">CSV or CSV.GZ file: orders, customers (Shopify, Online Retail, CDNOW, or any CSV with a mapping)</label>
      <input key={inputKey} id="upload-file" type="file" accept=".csv,.gz,.txt,.tsv,text/csv,application/gzip" onChange={(e) => void choose(e)} disabled={run.running} />
      {sent !== undefined && (
        <div className="job" role="status">
          <progress max={1} value={sent} aria-label="Upload" /> <span>uploading: {Math.round(sent * 100)}%</span>
        </div>
      )}
      <ErrorNote error={error} what="The file could not be read" />
      {answer && !run.job && <PreviewTable answer={answer} />}
      {answer && !run.job && (
        <div className="import-options">
          <div className="row">
            <label htmlFor="upload-format">Format</label>
            <select id="upload-format" value={format} onChange={(e) => void repreview(e.target.value)}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f === 'auto' ? `detect (${answer.preview.format ?? 'unknown'})` : f}
                </option>
              ))}
            </select>
          </div>
          {(format === 'generic' || answer.preview.problem) && (
            <div className="field">
              <label htmlFor="upload-map">Column mapping, one per line: column=field (order_id, placed_at, amount, email, customer_id, …)</label>
              <textarea id="upload-map" rows={3} value={map} onChange={(e) => setMap(e.target.value)} onBlur={() => void repreview(format)} />
            </div>
          )}
          <button
            type="button"
            className="primary"
            disabled={run.running || (answer.preview.problem !== null && mapping.length === 0)}
            onClick={() => void run.start('/v1/imports', { upload: answer.upload.id, format, ...(mapping.length ? { map: mapping } : {}) })}
          >
            Import {answer.upload.name}
          </button>
        </div>
      )}
      <ErrorNote error={run.error} what="The import could not start" />
      <JobProgress job={run.job} what="Importing" />
      {report && (
        <div className="report" data-testid="import-report">
          <p>
            <strong>
              Imported {report.file} as {report.format}
            </strong>{' '}
            in {report.seconds.toFixed(1)} s: {fmtInt(report.imported)} of {fmtInt(report.rows)} rows, {fmtInt(report.customers)} customers, {fmtInt(report.orders_new)} new orders
            {report.orders_already_present > 0 ? ` (${fmtInt(report.orders_already_present)} were already there)` : ''}
            {report.refunds > 0 ? `, ${fmtInt(report.refunds)} refunds` : ''}.
          </p>
          {report.erased_skipped > 0 && (
            // the words of `segmint import` (erasedRowsWords in the importer)
            <p data-testid="import-erased">
              {fmtInt(report.erased_skipped)} row{report.erased_skipped === 1 ? '' : 's'} of erased customers skipped.
            </p>
          )}
          {report.skipped > 0 && (
            <>
              <p className="down">{fmtInt(report.skipped)} rows were left out:</p>
              <ul>
                {report.errors.slice(0, 10).map((e) => (
                  <li key={e.line}>
                    line {e.line}: {e.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <button
            type="button"
            onClick={() => {
              setAnswer(undefined);
              setMap('');
              run.reset();
              setInputKey((k) => k + 1);
            }}
          >
            Import another file
          </button>
        </div>
      )}
    </Section>
  );
}

function PreviewTable({ answer }: { answer: UploadAnswer }) {
  const p: ImportPreview = answer.preview;
  return (
    <div className="preview">
      <p data-testid="upload-format">
        {answer.upload.name}, {fmtBytes(answer.upload.bytes)}
        {p.gzip ? ' (gzip)' : ''}: {p.format ? <>format <strong>{p.format}</strong> {p.detected ? '(detected from the first line)' : ''}</> : 'format not recognised'}.
      </p>
      {p.problem && (
        <div className="error-note" role="alert">
          <span className="error-message">{p.problem.message}</span> <code className="error-code">{p.problem.code}</code>
        </div>
      )}
      <TableBox label="The first rows of the file">
        <table className="preview-table">
          <caption>The first {p.rows.length} rows, as the importer reads them</caption>
          <thead>
            <tr>
              {p.columns.map((c, i) => (
                <th scope="col" key={i}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r, i) => (
              <tr key={i}>
                {r.map((v, j) => (
                  <td key={j}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
    </div>
  );
}
