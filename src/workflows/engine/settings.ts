import { settingValue } from '../../config/settings.js';
import type { Queryable } from '../../store/db.js';
import { parseFrequencyCap, parseQuietHours, type FrequencyCap, type QuietHours } from '../channels/pressure.js';

/** The settings the engine works with, read once per tick (`segmint config`, docs/workflows.md). */
export interface EngineSettings {
  readonly timeZone: string;
  readonly frequencyCap: FrequencyCap | null;
  readonly quietHours: QuietHours | null;
  readonly from: string | undefined;
  readonly smtpUrl: string | undefined;
  readonly publicUrl: string | undefined;
  readonly webhookSecret: string | undefined;
}

export async function loadEngineSettings(db: Queryable): Promise<EngineSettings> {
  return {
    timeZone: (await settingValue(db, 'workspace.timezone')) ?? 'UTC',
    frequencyCap: parseFrequencyCap((await settingValue(db, 'email.frequency_cap')) ?? 'off'),
    quietHours: parseQuietHours((await settingValue(db, 'email.quiet_hours')) ?? 'off'),
    from: await settingValue(db, 'email.from'),
    smtpUrl: await settingValue(db, 'smtp.url'),
    publicUrl: await settingValue(db, 'server.public_url'),
    webhookSecret: await settingValue(db, 'webhook.secret'),
  };
}
