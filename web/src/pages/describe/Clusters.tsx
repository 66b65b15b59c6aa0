import { useMemo } from 'react';
import type { Clusters as ClusterReport, Job } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useJob } from '../../api/useJob';
import { href } from '../../app/router';
import { useCan } from '../../app/session';
import { Chart } from '../../components/Chart';
import { fmtInt, fmtNum, fmtPct } from '../../components/format';
import { JobProgress } from '../../components/JobProgress';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorNote, Loading, Section } from '../../components/notes';

/** Cluster profiles of the last saved clustering (GET /v1/clusters); an admin can find them again (a job). */
export function Clusters() {
  const saved = useApi<ClusterReport>('/v1/clusters');
  const admin = useCan('admin');
  const run = useJob<ClusterReport>((j: Job<ClusterReport>) => j.state === 'done' && saved.reload());
  const data = saved.data;
  const option = useMemo(() => {
    if (!data) return {};
    return {
      grid: { left: 60, right: 16, top: 40, bottom: 30 },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: data.features.map((f) => f.replace(/_/g, ' ')) },
      yAxis: { type: 'value', name: 'z-score' },
      series: data.clusters.map((c) => ({ name: `${c.cluster < 0 ? 'outliers' : `#${c.cluster}`} ${c.name}`, type: 'bar', data: data.features.map((f) => Math.round((c.z[f] ?? 0) * 100) / 100) })),
    };
  }, [data]);
  const button = admin && (
    <button type="button" onClick={() => void run.start('/v1/clusters', {})} disabled={run.running}>
      {run.running ? 'Clustering…' : data ? 'Find clusters again' : 'Find clusters'}
    </button>
  );
  return (
    <Section title="Clusters" id="clusters" wide actions={button}>
      <ErrorNote error={run.error} what="Clustering could not start" />
      <JobProgress job={run.job} what="Clustering" />
      {saved.error?.code === 'clusters_not_saved' ? (
        <Empty title="No clusters found yet.">
          {admin ? 'Press “Find clusters”, ' : 'Ask an admin to find them, '}or on the server run <code>segmint clusters</code>: k-means on recency, frequency and spend,
          with the number of clusters chosen by silhouette.
        </Empty>
      ) : (
        <ErrorNote error={saved.error} what="Clusters could not be loaded" />
      )}
      {saved.loading && !data && <Loading what="Loading clusters" />}
      {data && (
        <>
          <p className="muted">
            {data.method} on {fmtInt(data.customers)} customers as of {data.as_of}: {data.k} clusters
            {data.silhouette !== null ? `, silhouette ${fmtNum(data.silhouette)}` : ''}
            {data.outliers > 0 ? `, ${fmtInt(data.outliers)} outliers` : ''}. Bars: how far each cluster sits from the average customer on each feature.
          </p>
          <Chart option={option} points={data.clusters.length * data.features.length} height={280} label={`Cluster profiles: ${data.clusters.map((c) => `${c.name} (${c.size})`).join(', ')}`} />
          <DataTable
            label="Cluster profiles"
            rows={data.clusters}
            rowKey={(c) => String(c.cluster)}
            columns={[
              {
                head: 'cluster',
                cell: (c) => (
                  <a href={href(['segments', 'new'], { query: c.cluster < 0 ? 'cluster.name = "outlier"' : `cluster = ${c.cluster}`, name: c.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase() })}>
                    {c.cluster < 0 ? 'outliers' : `#${c.cluster}`} {c.name}
                  </a>
                ),
              },
              { head: 'customers', num: true, cell: (c) => `${fmtInt(c.size)} (${fmtPct(c.share)})` },
              ...data.features.map((f) => ({ head: `median ${f.replace(/_/g, ' ')}`, num: true, cell: (c: ClusterReport['clusters'][number]) => fmtNum(c.median[f] ?? null, f === 'frequency' ? 0 : 1) })),
            ]}
          />
        </>
      )}
    </Section>
  );
}
