import { useMemo, useState } from 'react';
import { api, type ApiError } from '../../api/client';
import type { RfmGrid, RfmMovement, RfmReport } from '../../api/types';
import { asApiError, useApi } from '../../api/useApi';
import { href, navigate } from '../../app/router';
import { useCan } from '../../app/session';
import { Chart } from '../../components/Chart';
import { fmtInt, fmtMoney, fmtPct } from '../../components/format';
import { heatColour, textOn } from '../../components/heat';
import { Empty, ErrorNote, Loading, Section, TableBox } from '../../components/notes';

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
  const max = Math.max(1, ...grid.cells.map((c) => c.customers));
  const fs = Array.from({ length: grid.bins }, (_, i) => i + 1);
  const rs = Array.from({ length: grid.bins }, (_, i) => grid.bins - i);
  const cell = (r: number, f: number) => grid.cells.find((c) => c.r === r && c.f === f)!;
  return (
    <>
      <p className="muted">
        {fmtInt(grid.scored)} customers with orders, scored as of {grid.as_of}. Colour: customers in the cell; below the count, their mean net spend (M). Choose a
        cell to make it a segment.
      </p>
      <TableBox label="RFM grid">
        <table className="heat-table rfm-grid">
          <thead>
            <tr>
              <th scope="col">
                <span aria-hidden="true">R \ F</span>
                <span className="sr-only">recency score by row, frequency score by column</span>
              </th>
              {fs.map((f) => (
                <th scope="col" key={f}>
                  F{f}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rs.map((r) => (
              <tr key={r}>
                <th scope="row">R{r}</th>
                {fs.map((f) => {
                  const c = cell(r, f);
                  const bg = heatColour(c.customers / max);
                  return (
                    <td key={f} style={{ background: bg, color: textOn(bg) }}>
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
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
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
      <TableBox label="RFM groups and what to do">
        <table>
          <thead>
            <tr>
              <th scope="col">group</th>
              <th scope="col" className="num">customers</th>
              <th scope="col" className="num">share</th>
              <th scope="col">what to do</th>
            </tr>
          </thead>
          <tbody>
            {report.group_details.map((x) => (
              <tr key={x.name}>
                <td>
                  <a href={href(['segments', 'new'], { query: `rfm.group = "${x.name}"`, name: x.name.toLowerCase().replace(/[^a-z0-9]+/g, '-') })}>{x.name}</a>
                </td>
                <td className="num">{fmtInt(x.count)}</td>
                <td className="num">{fmtPct(x.share)}</td>
                <td>{x.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
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
  const max = Math.max(1, ...Object.values(mv.data?.matrix ?? {}).flatMap((row) => Object.values(row)));
  const fieldError = mv.error && (mv.error.details?.field === 'from' || mv.error.details?.field === 'to' || mv.error.code === 'invalid_period');
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
          <TableBox label="RFM movement matrix">
            <table className="heat-table movement">
              <thead>
                <tr>
                  <th scope="col">from ↓ / to →</th>
                  {mv.data.columns.map((c) => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {mv.data.rows.map((r) => (
                  <tr key={r}>
                    <th scope="row">{r}</th>
                    {mv.data!.columns.map((c) => {
                      const n = mv.data!.matrix[r]?.[c] ?? 0;
                      const bg = heatColour(n / max);
                      return (
                        <td key={c} className="num" style={{ background: bg, color: textOn(bg) }}>
                          {n === 0 ? '' : fmtInt(n)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
        </>
      )}
    </Section>
  );
}
