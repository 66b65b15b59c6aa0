import { useMemo } from 'react';
import type { QualityReport } from '../../api/types';
import { useApi } from '../../api/useApi';
import { Chart } from '../../components/Chart';
import { fmtInt, fmtTime } from '../../components/format';
import { DataTable } from '../../components/DataTable';
import { ErrorNote, Loading, Section } from '../../components/notes';

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
          <DataTable
            label="Quality checks"
            rows={checks}
            rowKey={(c) => c.id}
            columns={[
              { head: 'check', cell: (c) => c.title },
              { head: 'found', num: true, cell: (c) => `${fmtInt(c.count)}${c.out_of !== undefined ? ` of ${fmtInt(c.out_of)}` : ''}` },
              { head: 'what was counted', cell: (c) => c.definition },
              { head: 'examples', className: 'small', cell: (c) => (c.examples.length === 0 ? '–' : c.examples.slice(0, 3).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ')) },
            ]}
          />
        </>
      )}
    </Section>
  );
}
