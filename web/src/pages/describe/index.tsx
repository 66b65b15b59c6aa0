import type { PageProps } from '../../app/pages';
import { Clusters } from './Clusters';
import { CohortsCard } from './Cohorts';
import { Rfm } from './Rfm';

/** Describe the base: RFM grid, groups and movement, cohort retention, cluster profiles. */
export default function DescribePage(_: PageProps) {
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Describe</h1>
        <p className="as-of">Who your customers are: recency, frequency and spend, how cohorts keep buying, and the groups they fall into.</p>
      </div>
      <div className="grid">
        <Rfm />
        <CohortsCard />
        <Clusters />
      </div>
    </>
  );
}
