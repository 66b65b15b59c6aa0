import type { ImportRecord } from '../../api/types';
import type { Loaded } from '../../api/useApi';
import { fmtInt, fmtTime } from '../../components/format';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';

const num = (r: Record<string, unknown> | null, k: string): number | undefined => (r && typeof r[k] === 'number' ? (r[k] as number) : undefined);
/** A demo load reports its counts under `counts`; a file import reports them at the top. */
const counts = (i: ImportRecord) => (i.report?.counts ?? null) as Record<string, unknown> | null;

function ReportCell({ record }: { record: ImportRecord }) {
  const errors = (record.report?.errors ?? []) as { line: number; reason: string }[];
  if (!record.finishedAt) return <>not finished (interrupted, or running)</>;
  if (errors.length === 0) return <>complete</>;
  return (
    <details>
      <summary>{fmtInt(num(record.report, 'errors_total') ?? errors.length)} rows left out</summary>
      <ul>
        {errors.slice(0, 20).map((e) => (
          <li key={e.line}>
            line {e.line}: {e.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Every import and demo load with what it reported (GET /v1/imports, `segmint imports --json`). */
export function Imports({ imports }: { imports: Loaded<{ imports: ImportRecord[] }> }) {
  const list = imports.data?.imports;
  return (
    <Section title="Imports" id="imports" wide>
      <ErrorNote error={imports.error} what="Imports could not be loaded" />
      {imports.loading && !list && <Loading what="Loading imports" />}
      {list && list.length === 0 && <Empty title="Nothing imported yet.">Upload a file above, or on the server: <code>segmint import orders.csv</code>.</Empty>}
      {list && list.length > 0 && (
        <DataTable
          label="Imports"
          rows={list}
          rowKey={(i) => i.importId}
          columns={[
            { head: 'file', cell: (i) => i.file },
            { head: 'format', cell: (i) => i.format },
            { head: 'started', cell: (i) => fmtTime(i.startedAt) },
            { head: 'rows', num: true, cell: (i) => fmtInt(num(i.report, 'rows') ?? num(counts(i), 'events')) },
            { head: 'left out', num: true, cell: (i) => fmtInt(num(i.report, 'skipped') ?? 0) },
            // rows of erased customers skipped: not malformed, but not taken in either (as `segmint imports`)
            { head: 'erased', num: true, cell: (i) => fmtInt(num(i.report, 'erased_skipped') ?? 0) },
            { head: 'new orders', num: true, cell: (i) => fmtInt(num(i.report, 'orders_new') ?? num(counts(i), 'orders')) },
            { head: 'report', cell: (i) => <ReportCell record={i} /> },
          ]}
        />
      )}
    </Section>
  );
}
