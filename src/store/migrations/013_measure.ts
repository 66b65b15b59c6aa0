import type { Migration } from './types.js';

/**
 * Tables of measurement (src/measure/).
 *
 * experiments: one row per experiment. `source` says where its assignments come from: 'campaign' (a
 * segment split at random when the experiment was created; rows in experiment_assignments) or, once
 * workflows record their splits, 'workflow' (source_ref names the workflow and step; the assignments
 * stay in the workflow's own table). `groups` is the planned split, [{name, weight}], control first.
 * experiment_assignments has no primary key on purpose: it is written once per experiment from one
 * INSERT … SELECT over distinct members (one row per customer by construction), and a million-row
 * index would make that write several times slower.
 *
 * segment_kpis: one row per saved segment and UTC day (definitions: docs/experiments.md). The
 * membership at the end of the newest computed day is kept in segment_kpi_members so the next day is
 * one evaluation, not two. segment_usage records who used a segment and when (exports, experiments,
 * workflows), for the "forgotten segment" warning; segment_health_checks keeps each health report.
 */
export const measure: Migration = {
  version: 13,
  name: 'measure',
  statements: [
    `CREATE TABLE experiments (
      experiment_id VARCHAR PRIMARY KEY,
      name VARCHAR NOT NULL UNIQUE,
      source VARCHAR NOT NULL,
      source_ref JSON NOT NULL,
      segment_id VARCHAR,
      groups JSON NOT NULL,
      salt VARCHAR NOT NULL,
      assigned_at TIMESTAMP NOT NULL,
      planned_customers INTEGER,
      description VARCHAR,
      created_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE experiment_assignments (
      experiment_id VARCHAR NOT NULL,
      customer_id VARCHAR NOT NULL,
      group_name VARCHAR NOT NULL,
      assigned_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE segment_kpis (
      segment_id VARCHAR NOT NULL,
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
      PRIMARY KEY (segment_id, day)
    )`,
    `CREATE TABLE segment_kpi_members (
      segment_id VARCHAR NOT NULL,
      customer_id VARCHAR NOT NULL
    )`,
    `CREATE TABLE segment_kpi_state (
      segment_id VARCHAR PRIMARY KEY,
      last_day DATE NOT NULL
    )`,
    // Every health check (daily or on demand) with its whole report, newest read by dashboards.
    `CREATE TABLE segment_health_checks (
      checked_at TIMESTAMP NOT NULL,
      as_of_day DATE NOT NULL,
      report JSON NOT NULL
    )`,
    `CREATE TABLE segment_usage (
      segment_id VARCHAR NOT NULL,
      used_by VARCHAR NOT NULL,
      ref VARCHAR,
      used_at TIMESTAMP NOT NULL
    )`,
  ],
};
