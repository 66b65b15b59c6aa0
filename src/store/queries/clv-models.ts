import type { Queryable } from '../db.js';

export interface ClvModelRecord {
  model_id: string;
  fitted_at: Date;
  model: string;
  grain: string;
  time_unit: string;
  calibration_end: Date;
  customers: number;
  log_likelihood: number;
  params: Record<string, number>;
  spend_params: Record<string, number> | null;
  report: unknown;
}

/** Stores one fit; JSON columns take the serialised objects. */
export async function saveClvModel(db: Queryable, m: ClvModelRecord): Promise<void> {
  await db.run(
    `INSERT INTO clv_models VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::JSON, $10::JSON, $11::JSON)`,
    [
      m.model_id,
      m.fitted_at,
      m.model,
      m.grain,
      m.time_unit,
      m.calibration_end,
      m.customers,
      m.log_likelihood,
      JSON.stringify(m.params),
      m.spend_params === null ? null : JSON.stringify(m.spend_params),
      JSON.stringify(m.report),
    ],
  );
}

/** The newest fit, optionally of one model; undefined when there is none. */
export async function latestClvModel(db: Queryable, model?: string): Promise<ClvModelRecord | undefined> {
  const row = await db.one<Record<string, unknown>>(
    `SELECT model_id, fitted_at, model, grain, time_unit, calibration_end, customers, log_likelihood,
       params::VARCHAR AS params, spend_params::VARCHAR AS spend_params, report::VARCHAR AS report
     FROM clv_models WHERE $1::VARCHAR IS NULL OR model = $1::VARCHAR
     ORDER BY fitted_at DESC, model_id DESC LIMIT 1`,
    [model ?? null],
  );
  if (!row) return undefined;
  return {
    ...(row as unknown as ClvModelRecord),
    params: JSON.parse(row.params as string) as Record<string, number>,
    spend_params: row.spend_params === null ? null : (JSON.parse(row.spend_params as string) as Record<string, number>),
    report: JSON.parse(row.report as string) as unknown,
  };
}
