import type { PageProps } from '../../app/pages';
import { ClvCard, ValidationCard } from './Clv';
import { PropensityCard } from './Propensity';
import { RecommendationsCard } from './Recommendations';

/** Predictions: CLV and P(alive), churn bands, holdout validation, propensity calibration, recommendations. */
export default function PredictPage({ route }: PageProps) {
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Predict</h1>
        <p className="as-of">Who will buy again, what they are worth, who is slipping away — and how well the models did on data they never saw.</p>
      </div>
      <div className="grid">
        <ClvCard />
        <ValidationCard />
        <PropensityCard />
        <RecommendationsCard initial={route.query.get('customer') ?? ''} />
      </div>
    </>
  );
}
