import { settingValues } from '../../config/settings.js';
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
  const v = await settingValues(db, [
    'workspace.timezone',
    'email.frequency_cap',
    'email.quiet_hours',
    'email.from',
    'smtp.url',
    'server.public_url',
    'webhook.secret',
  ] as const);
  return {
    timeZone: v['workspace.timezone'] ?? 'UTC',
    frequencyCap: parseFrequencyCap(v['email.frequency_cap'] ?? 'off'),
    quietHours: parseQuietHours(v['email.quiet_hours'] ?? 'off'),
    from: v['email.from'],
    smtpUrl: v['smtp.url'],
    publicUrl: v['server.public_url'],
    webhookSecret: v['webhook.secret'],
  };
}
