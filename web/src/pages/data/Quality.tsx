import { useMemo } from 'react';
import type { QualityReport } from '../../api/types';
import { useApi } from '../../api/useApi';
import { Chart } from '../../components/Chart';
import { fmtInt, fmtTime } from '../../components/format';
import { ErrorNote, Loading, Section, TableBox } from '../../components/notes';

/** The quality report (GET /v1/quality, `segmint quality --json`): each check, how many, of what, examples. */
export function Quality() {
  const q = useApi<QualityReport>('/v1/quality');
  const checks = q.data?.checks ?? [];
  const option = useMemo(
    () => ({
      grid: { left: 230, right: 40, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: checks.map((c) => c.title) },
      series: [{ type: 'bar', data: checks.map((c) => ({ value: c.count, itemStyle: { color: c.count > 0 ? '#b45309' : '#15803d' } })), label: { show: true, position: 'right' } }],
    }),
    [checks],
  );
  return (
    <Section title="Data quality" id="quality" wide>
      <ErrorNote error={q.error} what="The quality report could not be made" />
      {q.loading && !q.data && <Loading what="Checking the data" />}
      {q.data && (
        <>
          <p className="muted">
            As of {fmtTime(q.data.as_of)}. {checks.filter((c) => c.count > 0).length === 0 ? 'Every check passed.' : `${checks.filter((c) => c.count > 0).length} of ${checks.length} checks found something.`}
          </p>
          <Chart option={option} points={checks.length} height={Math.max(200, checks.length * 30)} label={`Data-quality checks: ${checks.map((c) => `${c.title} ${c.count}`).join(', ')}`} />
          <TableBox label="Quality checks">
            <table>
              <thead>
                <tr>
                  <th scope="col">check</th>
                  <th scope="col" className="num">found</th>
                  <th scope="col">what was counted</th>
                  <th scope="col">examples</th>
                </tr>
              </thead>
              <tbody>
                {checks.map((c) => (
                  <tr key={c.id}>
                    <td>{c.title}</td>
                    <td className="num">
                      {fmtInt(c.count)}
                      {c.out_of !== undefined ? ` of ${fmtInt(c.out_of)}` : ''}
                    </td>
                    <td>{c.definition}</td>
                    <td className="small">{c.examples.length === 0 ? '–' : c.examples.slice(0, 3).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ')}</td>
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
