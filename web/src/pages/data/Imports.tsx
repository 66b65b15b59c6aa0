import type { ImportRecord } from '../../api/types';
import type { Loaded } from '../../api/useApi';
import { fmtInt, fmtTime } from '../../components/format';
import { Empty, ErrorNote, Loading, Section, TableBox } from '../../components/notes';

const num = (r: Record<string, unknown> | null, k: string): number | undefined => (r && typeof r[k] === 'number' ? (r[k] as number) : undefined);

/** Every import and demo load with what it reported (GET /v1/imports, `segmint imports --json`). */
export function Imports({ imports }: { imports: Loaded<{ imports: ImportRecord[] }> }) {
  const list = imports.data?.imports;
  return (
    <Section title="Imports" id="imports" wide>
      <ErrorNote error={imports.error} what="Imports could not be loaded" />
      {imports.loading && !list && <Loading what="Loading imports" />}
      {list && list.length === 0 && <Empty title="Nothing imported yet.">Upload a file above, or on the server: <code>segmint import orders.csv</code>.</Empty>}
      {list && list.length > 0 && (
        <TableBox label="Imports">
          <table>
            <thead>
              <tr>
                <th scope="col">file</th>
                <th scope="col">format</th>
                <th scope="col">started</th>
                <th scope="col" className="num">rows</th>
                <th scope="col" className="num">left out</th>
                <th scope="col" className="num">new orders</th>
                <th scope="col">report</th>
              </tr>
            </thead>
            <tbody>
              {list.map((i) => {
                const r = i.report;
                const counts = (r?.counts ?? null) as Record<string, unknown> | null;
                const errors = (r?.errors ?? []) as { line: number; reason: string }[];
                return (
                  <tr key={i.importId}>
                    <td>{i.file}</td>
                    <td>{i.format}</td>
                    <td>{fmtTime(i.startedAt)}</td>
                    <td className="num">{fmtInt(num(r, 'rows') ?? num(counts, 'events'))}</td>
                    <td className="num">{fmtInt(num(r, 'skipped') ?? 0)}</td>
                    <td className="num">{fmtInt(num(r, 'orders_new') ?? num(counts, 'orders'))}</td>
                    <td>
                      {!i.finishedAt ? (
                        'not finished (interrupted, or running)'
                      ) : errors.length > 0 ? (
                        <details>
                          <summary>{fmtInt(num(r, 'errors_total') ?? errors.length)} rows left out</summary>
                          <ul>
                            {errors.slice(0, 20).map((e) => (
                              <li key={e.line}>
                                line {e.line}: {e.reason}
                              </li>
                            ))}
                          </ul>
                        </details>
                      ) : (
                        'complete'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableBox>
      )}
    </Section>
  );
}
