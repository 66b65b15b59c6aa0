import type { Queryable } from '../../db.js';

export interface SettingRow {
  key: string;
  value: string;
  secret: boolean;
  updated_at: Date;
}

export async function readSetting(db: Queryable, key: string): Promise<SettingRow | undefined> {
  return db.one<SettingRow>('SELECT key, value, secret, updated_at FROM settings WHERE key = $1', [key]);
}

export async function readSettings(db: Queryable): Promise<SettingRow[]> {
  return db.all<SettingRow>('SELECT key, value, secret, updated_at FROM settings ORDER BY key');
}

export async function writeSetting(db: Queryable, key: string, value: string, secret: boolean, at: Date): Promise<void> {
  await db.run(
    `INSERT INTO settings (key, value, secret, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, secret = excluded.secret, updated_at = excluded.updated_at`,
    [key, value, secret, at],
  );
}

/** Writes the value only if the key has none yet; returns the value in force afterwards. */
export async function writeSettingOnce(db: Queryable, key: string, value: string, secret: boolean, at: Date): Promise<string> {
  await db.run('INSERT INTO settings (key, value, secret, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING', [key, value, secret, at]);
  return (await readSetting(db, key))!.value;
}

export async function deleteSetting(db: Queryable, key: string): Promise<boolean> {
  const had = await readSetting(db, key);
  if (!had) return false;
  await db.run('DELETE FROM settings WHERE key = $1', [key]);
  return true;
}
