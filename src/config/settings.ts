import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { deleteSetting, readSetting, writeSetting } from '../store/queries/config/settings.js';

/** One setting segmint knows: what it is for, how it is checked, whether its value is a secret. */
interface SettingDef {
  readonly description: string;
  readonly secret: boolean;
  /** the value when nothing is set */
  readonly default?: string;
  /** an environment variable that overrides the stored value */
  readonly env?: string;
  /** throws a message when the value is not acceptable */
  readonly check?: (value: string) => void;
}

/** Every setting; a capability that needs one adds an entry here (`segmint config list` shows them all). */
const SETTINGS: Readonly<Record<string, SettingDef>> = {
  'retention.events_days': {
    description:
      'delete raw events older than this many days (daily in `segmint serve`, or `segmint retention run`); orders, metrics and other aggregates stay. "off" keeps every event',
    secret: false,
    default: 'off',
    check: (v) => {
      if (v === 'off') return;
      if (!/^\d{1,6}$/.test(v) || Number(v) < 1) throw new Error('must be a whole number of days (at least 1) or "off"');
    },
  },
};

export interface SettingView {
  readonly key: string;
  /** the value, or a masked form for secrets; null when unset and without default */
  readonly value: string | null;
  readonly source: 'stored' | 'environment' | 'default' | 'unset';
  readonly secret: boolean;
  readonly description: string;
}

function definition(key: string): SettingDef {
  const def = SETTINGS[key];
  if (!def) {
    throw new SegmintError('unknown_setting', `There is no setting "${key}". Known settings: ${Object.keys(SETTINGS).join(', ')}.`, { key });
  }
  return def;
}

/** The value in force for a setting (environment, then stored, then default), unmasked: for segmint's own use. */
export async function settingValue(db: Queryable, key: string): Promise<string | undefined> {
  const def = definition(key);
  const env = def.env ? process.env[def.env] : undefined;
  if (env !== undefined && env !== '') return env;
  return (await readSetting(db, key))?.value ?? def.default;
}

/** Checks and stores a setting; a bad value is refused with the reason, naming the key. */
export async function setSetting(db: Queryable, key: string, value: string, now = new Date()): Promise<SettingView> {
  const def = definition(key);
  const v = value.trim();
  try {
    def.check?.(v);
  } catch (e) {
    throw new SegmintError('invalid_setting', `${key}: "${def.secret ? mask(v) : v}" ${(e as Error).message}.`, { key });
  }
  await writeSetting(db, key, v, def.secret, now);
  return view(db, key);
}

export async function unsetSetting(db: Queryable, key: string): Promise<boolean> {
  definition(key);
  return deleteSetting(db, key);
}

/** A setting as it may be shown: secrets masked. */
export async function view(db: Queryable, key: string): Promise<SettingView> {
  const def = definition(key);
  const env = def.env ? process.env[def.env] : undefined;
  const stored = await readSetting(db, key);
  const [raw, source] =
    env !== undefined && env !== ''
      ? [env, 'environment' as const]
      : stored
        ? [stored.value, 'stored' as const]
        : def.default !== undefined
          ? [def.default, 'default' as const]
          : [null, 'unset' as const];
  return { key, value: raw === null ? null : def.secret ? mask(raw) : raw, source, secret: def.secret, description: def.description };
}

/** Every known setting, masked. */
export async function listSettings(db: Queryable): Promise<SettingView[]> {
  const out: SettingView[] = [];
  for (const key of Object.keys(SETTINGS)) out.push(await view(db, key));
  return out;
}

/** Never prints a secret. */
export function mask(_value: string): string {
  return '*** (set)';
}

/** Settings as lines: key, value (and where it comes from), then what it is for. */
export function formatSettings(list: readonly SettingView[]): string {
  return list
    .map((s) => `${s.key.padEnd(22)} ${s.value ?? '(unset)'}${s.source === 'default' ? '  (default)' : s.source === 'environment' ? '  (from the environment)' : ''}\n${' '.repeat(23)}${s.description}`)
    .join('\n');
}
