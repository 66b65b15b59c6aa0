import { useMemo, useState } from 'react';
import { api, type ApiError } from '../../api/client';
import type { RfmGrid, RfmMovement, RfmReport } from '../../api/types';
import { asApiError, useApi } from '../../api/useApi';
import { href, navigate } from '../../app/router';
import { useCan } from '../../app/session';
import { Chart } from '../../components/Chart';
import { fmtInt, fmtMoney, fmtPct } from '../../components/format';
import { HeatTable } from '../../components/HeatTable';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';

/**
 * RFM from the saved snapshot (the one segments read): the recency × frequency grid, each cell a button
 * that opens the builder on exactly that cell; group sizes; and movement between two moments.
 */
export function Rfm() {
  const grid = useApi<RfmGrid>('/v1/rfm/grid');
  const groups = useApi<RfmReport>(grid.data ? '/v1/rfm' : null, { asOf: grid.data?.as_of });
  const admin = useCan('admin');
  const [busy, setBusy] = useState(false);
  const [runError, setRunError] = useState<ApiError>();
  const score = async () => {
    setBusy(true);
    setRunError(undefined);
    try {
      await api.post('/v1/rfm', {});
      grid.reload();
    } catch (e) {
      setRunError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const scoreButton = admin && (
    <button type="button" onClick={() => void score()} disabled={busy}>
      {busy ? 'Scoring…' : grid.data ? 'Score again' : 'Score customers now'}
    </button>
  );
  const notSaved = grid.error?.code === 'rfm_not_saved';
  return (
    <>
      <Section title="RFM grid: recency × frequency" id="rfm-grid" actions={scoreButton}>
        <ErrorNote error={runError} what="Scoring failed" />
        {!notSaved && <ErrorNote error={grid.error} what="The RFM grid could not be loaded" />}
        {notSaved && (
          <Empty title="Customers are not RFM-scored yet.">
            {admin ? 'Press “Score customers now”, ' : 'Ask an admin to score them, '}or on the server run <code>segmint rfm</code>. Scores use the orders up to midnight after the latest one.
          </Empty>
        )}
        {grid.loading && !grid.data && <Loading what="Loading the RFM snapshot" />}
        {grid.data && <GridTable grid={grid.data} />}
      </Section>
      <Section title="RFM groups" id="rfm-groups">
        <ErrorNote error={groups.error} what="The RFM groups could not be computed" />
        {groups.data && <GroupBars report={groups.data} />}
        {!grid.data && !grid.loading && <p className="muted">Groups appear once customers are scored.</p>}
      </Section>
      <Movement defaultTo={grid.data?.as_of} />
    </>
  );
}

function GridTable({ grid }: { grid: RfmGrid }) {
  const fs = Array.from({ length: grid.bins }, (_, i) => i + 1);
  const rs = Array.from({ length: grid.bins }, (_, i) => grid.bins - i);
  const cell = (r: number, f: number) => grid.cells.find((c) => c.r === r && c.f === f)!;
  return (
    <>
      <p className="muted">
        {fmtInt(grid.scored)} customers with orders, scored as of {grid.as_of}. Colour: customers in the cell; below the count, their mean net spend (M). Choose a
        cell to make it a segment.
      </p>
      <HeatTable
        label="RFM grid"
        className="rfm-grid"
        corner={
          <>
            <span aria-hidden="true">R \ F</span>
            <span className="sr-only">recency score by row, frequency score by column</span>
          </>
        }
        rows={rs}
        columns={fs}
        rowHead={(r) => `R${r}`}
        colHead={(f) => `F${f}`}
        value={(r, f) => cell(r, f).customers}
        cell={(r, f) => {
          const c = cell(r, f);
          return (
            <button
              type="button"
              className="cell-button"
              data-r={r}
              data-f={f}
              data-customers={c.customers}
              onClick={() => navigate(href(['segments', 'new'], { query: c.query, name: `rfm-r${r}-f${f}` }))}
              style={{ color: 'inherit' }}
            >
              <span className="sr-only">
                R{r} F{f}:{' '}
              </span>
              <span className="cell-count">{fmtInt(c.customers)}</span>
              <span className="sr-only"> customers, mean net spend </span>
              <span className="cell-sub">{c.customers > 0 ? fmtMoney(c.mean_monetary) : '–'}</span>
              <span className="sr-only">. Make a segment of this cell.</span>
            </button>
          );
        }}
      />
    </>
  );
}

function GroupBars({ report }: { report: RfmReport }) {
  const g = [...report.group_details].reverse();
  const option = useMemo(
    () => ({
      grid: { left: 140, right: 40, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: g.map((x) => x.name) },
      series: [{ type: 'bar', data: g.map((x) => x.count), label: { show: true, position: 'right' } }],
    }),
    [g],
  );
  return (
    <>
      <Chart option={option} points={g.length} height={Math.max(200, g.length * 28)} label={`RFM group sizes: ${report.group_details.map((x) => `${x.name} ${x.count}`).join(', ')}`} />
      <DataTable
        label="RFM groups and what to do"
        rows={report.group_details}
        rowKey={(x) => x.name}
        columns={[
          { head: 'group', cell: (x) => <a href={href(['segments', 'new'], { query: `rfm.group = "${x.name}"`, name: x.name.toLowerCase().replace(/[^a-z0-9]+/g, '-') })}>{x.name}</a> },
          { head: 'customers', num: true, cell: (x) => fmtInt(x.count) },
          { head: 'share', num: true, cell: (x) => fmtPct(x.share) },
          { head: 'what to do', cell: (x) => x.action },
        ]}
      />
    </>
  );
}

const minusDays = (day: string, n: number) => new Date(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

function Movement({ defaultTo }: { defaultTo: string | undefined }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const t = to || defaultTo?.slice(0, 10) || '';
  const f = from || (t ? minusDays(t, 90) : '');
  const mv = useApi<RfmMovement>(t && f ? '/v1/rfm/movement' : null, { from: f, to: t });
  const fieldError = mv.error && (mv.error.names('from') || mv.error.names('to') || mv.error.code === 'invalid_period');
  return (
    <Section title="Movement between RFM groups" id="rfm-movement" wide>
      <div className="row">
        <label htmlFor="mv-from">From</label>
        <input id="mv-from" type="date" value={f} onChange={(e) => setFrom(e.target.value)} aria-describedby={fieldError ? 'mv-error' : undefined} />
        <label htmlFor="mv-to">to</label>
        <input id="mv-to" type="date" value={t} onChange={(e) => setTo(e.target.value)} aria-describedby={fieldError ? 'mv-error' : undefined} />
      </div>
      <ErrorNote error={mv.error} what="Movement could not be computed" id="mv-error" />
      {!t && <p className="muted">Movement needs orders to score customers on.</p>}
      {mv.loading && <Loading what="Scoring both moments" />}
      {mv.data && (
        <>
          <p className="muted">
            {fmtInt(mv.data.customers_at_from)} customers scored on {mv.data.from}, {fmtInt(mv.data.customers_at_to)} on {mv.data.to} ({fmtInt(mv.data.new_customers)} new). Rows: group on {mv.data.from}; columns: group on {mv.data.to}.
          </p>
          <HeatTable
            label="RFM movement matrix"
            className="movement"
            corner="from ↓ / to →"
            rows={mv.data.rows}
            columns={mv.data.columns}
            rowHead={(r) => r}
            colHead={(c) => c}
            value={(r, c) => mv.data!.matrix[r]?.[c] ?? 0}
            cell={(_r, _c, n) => <span className="num">{n === 0 ? '' : fmtInt(n)}</span>}
          />
        </>
      )}
    </Section>
  );
}
