import type { Migration } from './types.js';

/**
 * Tables of the workflows capability (docs/workflows.md), and the settings table (`segmint config`).
 *
 * A workflow has one row in workflows (its name, status and current version) and one row per saved
 * version in workflow_versions; a run stays on the version it started with. A run's position is a step
 * id of that version; wake_at is when the engine next looks at it (a wait falling due, a retry), so due
 * work is one scan of workflow_runs and a waiting run costs a row, not a timer. Every trigger the engine
 * has decided on is in workflow_triggers (which makes replaying a trigger after a crash a no-op), every
 * email or webhook (sent, pending or skipped with its reason) in workflow_sends, one row per (run, step).
 * workflow_assignments records each split and holdout decision for the measurement capability.
 */
export const workflows: Migration = {
  version: 12,
  name: 'workflows',
  statements: [
    // secret: the value is never printed (config list/get show it masked)
    `CREATE TABLE settings (
      key VARCHAR PRIMARY KEY,
      value VARCHAR NOT NULL,
      secret BOOLEAN NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
    // status: active | paused. active_since: triggers from before it are not acted on (creation, resume).
    `CREATE TABLE workflows (
      workflow_id VARCHAR PRIMARY KEY,
      name VARCHAR NOT NULL UNIQUE,
      status VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      template VARCHAR,
      active_since TIMESTAMP NOT NULL,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
    // definition: the validated document as JSON; source: the text as the user wrote it (JSON or YAML)
    `CREATE TABLE workflow_versions (
      workflow_id VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      definition JSON NOT NULL,
      source VARCHAR NOT NULL,
      format VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL,
      PRIMARY KEY (workflow_id, version)
    )`,
    // status: active | completed | exited | converted | cancelled | failed.
    // phase (active runs): ready (run the step at position at wake_at) | wait (the wait at position ends
    // at wake_at, or earlier on its event) | send (the email or webhook at position is to be attempted).
    `CREATE TABLE workflow_runs (
      run_id VARCHAR PRIMARY KEY,
      workflow_id VARCHAR NOT NULL,
      workflow_name VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      customer_id VARCHAR NOT NULL,
      run_key VARCHAR NOT NULL,
      trigger_id VARCHAR NOT NULL,
      context JSON NOT NULL,
      status VARCHAR NOT NULL,
      phase VARCHAR,
      position VARCHAR,
      wake_at TIMESTAMP,
      wait_event VARCHAR,
      step_started_at TIMESTAMP,
      entered_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL,
      ended_at TIMESTAMP,
      end_reason VARCHAR,
      converted_at TIMESTAMP
    )`,
    'CREATE INDEX workflow_runs_customer ON workflow_runs (customer_id)',
    // One row per (workflow, trigger): what was decided (started, or skipped and why).
    `CREATE TABLE workflow_triggers (
      workflow_id VARCHAR NOT NULL,
      trigger_id VARCHAR NOT NULL,
      customer_id VARCHAR,
      triggered_at TIMESTAMP NOT NULL,
      outcome VARCHAR NOT NULL,
      run_id VARCHAR,
      PRIMARY KEY (workflow_id, trigger_id)
    )`,
    // What each run did, step by step, for `workflows run-show`.
    `CREATE TABLE workflow_run_log (
      run_id VARCHAR NOT NULL,
      logged_at TIMESTAMP NOT NULL,
      step_id VARCHAR,
      action VARCHAR NOT NULL,
      detail VARCHAR
    )`,
    'CREATE INDEX workflow_run_log_run ON workflow_run_log (run_id)',
    // channel: email | webhook. status: pending (recorded before the attempt; not acknowledged yet) |
    // sent | failed | skipped (reason says why). idempotency_key: the same on every attempt.
    `CREATE TABLE workflow_sends (
      run_id VARCHAR NOT NULL,
      step_id VARCHAR NOT NULL,
      workflow_id VARCHAR NOT NULL,
      workflow_name VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      customer_id VARCHAR NOT NULL,
      channel VARCHAR NOT NULL,
      marketing BOOLEAN NOT NULL,
      status VARCHAR NOT NULL,
      reason VARCHAR,
      recipient VARCHAR,
      subject VARCHAR,
      idempotency_key VARCHAR NOT NULL,
      attempts INTEGER NOT NULL,
      last_error VARCHAR,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL,
      sent_at TIMESTAMP,
      PRIMARY KEY (run_id, step_id)
    )`,
    'CREATE INDEX workflow_sends_customer ON workflow_sends (customer_id)',
    // Split and holdout decisions. step_id is the split step's id, or '$entry' for the workflow's holdout,
    // whose variants are 'holdout' (gets no email or webhook) and 'treatment'.
    `CREATE TABLE workflow_assignments (
      run_id VARCHAR NOT NULL,
      step_id VARCHAR NOT NULL,
      workflow_id VARCHAR NOT NULL,
      workflow_name VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      customer_id VARCHAR NOT NULL,
      variant VARCHAR NOT NULL,
      assigned_at TIMESTAMP NOT NULL,
      PRIMARY KEY (run_id, step_id)
    )`,
    // Where the engine's sources have read up to (events received, segment history recorded, date scans).
    `CREATE TABLE workflow_cursors (
      name VARCHAR PRIMARY KEY,
      value VARCHAR NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE customer_tags (
      customer_id VARCHAR NOT NULL,
      tag VARCHAR NOT NULL,
      added_at TIMESTAMP NOT NULL,
      source VARCHAR NOT NULL,
      PRIMARY KEY (customer_id, tag)
    )`,
    `CREATE TABLE static_list_members (
      list_name VARCHAR NOT NULL,
      customer_id VARCHAR NOT NULL,
      added_at TIMESTAMP NOT NULL,
      source VARCHAR NOT NULL,
      PRIMARY KEY (list_name, customer_id)
    )`,
  ],
};
