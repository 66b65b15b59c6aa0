import { init } from './001_init.js';
import { segments } from './002_segments.js';
import { predictions } from './003_predictions.js';
import { analytics } from './004_analytics.js';
import { propensity } from './005_propensity.js';
import { trust } from './006_trust.js';
import { importSchema } from './007_import.js';
import { recommendMethod } from './008_recommend_method.js';
import { realtime } from './009_realtime.js';
import { predictionsUnkeyed } from './010_predictions_unkeyed.js';
import { workflows } from './012_workflows.js';
import { measure } from './013_measure.js';
import { privacy } from './014_privacy.js';
import { orderLinesUnkeyed } from './016_order_lines_unkeyed.js';
import { predictionRuns } from './017_prediction_runs.js';
import { emailTrait } from './019_email_trait.js';
import { customerIndexes } from './021_customer_indexes.js';
import { futureDecisions } from './023_future_decisions.js';
import { zonedKpiDays } from './026_zoned_kpi_days.js';
import { historyNumbers } from './027_history_numbers.js';
import { ingestLookups } from './029_ingest_lookups.js';
import { segmentLiveNotes } from './030_segment_live_notes.js';
import { suppressionsByValue } from './032_suppressions_by_value.js';
import { identifiersNfc } from './033_identifiers_nfc.js';
import type { Migration } from './types.js';

/** Every migration, in order. A new one gets the next version and is appended here. */
export const migrations: readonly Migration[] = [init, segments, predictions, analytics, propensity, trust, importSchema, recommendMethod, realtime, predictionsUnkeyed, workflows, measure, privacy, orderLinesUnkeyed, predictionRuns, emailTrait, customerIndexes, futureDecisions, zonedKpiDays, historyNumbers, ingestLookups, segmentLiveNotes, suppressionsByValue, identifiersNfc];

export const latestVersion = migrations.reduce((v, m) => Math.max(v, m.version), 0);
