import type { Queryable } from '../../db.js';

export interface RfmGridCellRow {
  r: number;
  f: number;
  customers: number;
  /** mean net spend (the M value) of the cell's customers */
  mean_monetary: number;
  /** mean M score of the cell */
  mean_m: number;
}

export interface RfmSnapshotInfo {
  as_of: Date;
  bins: number;
  customers: number;
  computed_at: Date;
}

/** When the saved RFM snapshot (customer_rfm) was taken and how many customers it holds; undefined if none. */
export async function rfmSnapshotInfo(db: Queryable): Promise<RfmSnapshotInfo | undefined> {
  const row = await db.one<RfmSnapshotInfo>(
    'SELECT max(as_of) AS as_of, max(bins) AS bins, count(*) AS customers, max(computed_at) AS computed_at FROM customer_rfm',
  );
  return row && row.customers > 0 ? row : undefined;
}

/** Customers of the saved snapshot per (R, F) cell, with their mean monetary value and mean M score. */
export function rfmGridCells(db: Queryable): Promise<RfmGridCellRow[]> {
  return db.all<RfmGridCellRow>(
    `SELECT r, f, count(*) AS customers, avg(monetary)::DOUBLE AS mean_monetary, avg(m)::DOUBLE AS mean_m
     FROM customer_rfm GROUP BY r, f ORDER BY r, f`,
  );
}
