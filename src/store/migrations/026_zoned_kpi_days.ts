import type { Migration } from './types.js';

/**
 * Segment KPI days are days of the workspace time zone (docs/experiments.md, "Segment KPIs over time"), so
 * a stored day says whose day it is: segment_kpis gets `time_zone` (an IANA name as reportTimeZone spells
 * it) and its key becomes (segment_id, time_zone, day); segment_kpi_state and segment_health_checks say
 * the zone of their day too. Every row stored before this migration was a UTC day and is labelled `UTC`,
 * which it was: nothing is recomputed and nothing is lost. After the workspace zone changes, reads and
 * writes use the new zone's rows only (the other zone's stay, unused, and serve again if it changes back).
 *
 * DuckDB cannot change a primary key in place, so segment_kpis is copied into a table of the new shape,
 * the old one dropped and the new one renamed.
 */
export const zonedKpiDays: Migration = {
  version: 26,
  name: 'segment KPI days of the workspace time zone',
  statements: [
    `CREATE TABLE segment_kpis_zoned (
      segment_id VARCHAR NOT NULL,
      time_zone VARCHAR NOT NULL,
      day DATE NOT NULL,
      size INTEGER NOT NULL,
      entries INTEGER NOT NULL,
      exits INTEGER NOT NULL,
      members_at_start INTEGER NOT NULL,
      orders INTEGER NOT NULL,
      buyers INTEGER NOT NULL,
      revenue DECIMAL(18,2) NOT NULL,
      gross_revenue DECIMAL(18,2) NOT NULL,
      email_opens INTEGER NOT NULL,
      email_clicks INTEGER NOT NULL,
      email_openers INTEGER NOT NULL,
      email_clickers INTEGER NOT NULL,
      churn_low INTEGER,
      churn_medium INTEGER,
      churn_high INTEGER,
      churn_unscored INTEGER,
      computed_at TIMESTAMP NOT NULL,
      PRIMARY KEY (segment_id, time_zone, day)
    )`,
    `INSERT INTO segment_kpis_zoned
       (segment_id, time_zone, day, size, entries, exits, members_at_start, orders, buyers, revenue, gross_revenue,
        email_opens, email_clicks, email_openers, email_clickers, churn_low, churn_medium, churn_high, churn_unscored, computed_at)
     SELECT segment_id, 'UTC', day, size, entries, exits, members_at_start, orders, buyers, revenue, gross_revenue,
        email_opens, email_clicks, email_openers, email_clickers, churn_low, churn_medium, churn_high, churn_unscored, computed_at
     FROM segment_kpis`,
    'DROP TABLE segment_kpis',
    'ALTER TABLE segment_kpis_zoned RENAME TO segment_kpis',
    // The zone of last_day: a state of another zone is not the start of the next day and is evaluated again.
    `ALTER TABLE segment_kpi_state ADD COLUMN time_zone VARCHAR DEFAULT 'UTC'`,
    `ALTER TABLE segment_health_checks ADD COLUMN time_zone VARCHAR DEFAULT 'UTC'`,
  ],
};
