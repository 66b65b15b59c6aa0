import { randomBytes } from 'node:crypto';
import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { deleteSetting, readSetting, readSettings, writeSetting, writeSettingOnce } from '../store/queries/config/settings.js';
import { canonicalTimeZone, checkTimeZone } from '../domain/time-zone.js';
import { parseFrequencyCap, parseQuietHours } from '../workflows/channels/pressure.js';

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
  /** the form an accepted value is stored in (e.g. a time zone's own spelling) */
  readonly normalize?: (value: string) => string;
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
  'smtp.url': {
    description: 'the SMTP server emails go through: smtp://user:pass@host:port, or smtps:// for TLS',
    secret: true,
    env: 'SEGMINT_SMTP_URL',
    check: (v) => {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        throw new Error('is not a URL; write smtp://user:pass@host:587 or smtps://user:pass@host:465');
      }
      if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`must start with smtp:// or smtps://, not ${u.protocol}//`);
      if (u.hostname === '') throw new Error('names no host');
      checkSmtpOptions(u.searchParams);
    },
  },
  'email.from': {
    description: 'the sender of workflow emails when a step names none, e.g. "Maison Demo <shop@example.com>"',
    secret: false,
    check: (v) => {
      if (!/[^\s@<>]+@[^\s@<>]+/.test(v)) throw new Error('is not an email address');
    },
  },
  'email.frequency_cap': {
    description: 'at most N marketing emails per customer per period, across all workflows: "1/1d", "3/7d", or "off"',
    secret: false,
    default: '1/1d',
    check: (v) => void parseFrequencyCap(v),
  },
  'email.quiet_hours': {
    description: 'no marketing email in these hours of the workspace time zone, e.g. "21:00-08:00" (held until they end), or "off"',
    secret: false,
    default: 'off',
    check: (v) => void parseQuietHours(v),
  },
  'workspace.timezone': {
    description: 'the IANA time zone of the shop (e.g. Europe/Paris): times of day in workflows and quiet hours are read in it, and days, weeks and months of reports begin in it',
    secret: false,
    default: 'UTC',
    check: (v) => {
      try {
        checkTimeZone(v);
      } catch {
        // the caller names the key and the value; this says only what is wrong
        throw new Error('is not a time zone; write an IANA name such as Europe/Paris or America/New_York (an offset such as +09:00 is not a zone)');
      }
    },
    normalize: canonicalTimeZone,
  },
  'server.public_url': {
    description: 'the address customers reach this server at, for unsubscribe links (default: the address segmint serve listens on)',
    secret: false,
    env: 'SEGMINT_PUBLIC_URL',
    check: (v) => {
      if (!/^https?:\/\/[^\s/]+/.test(v)) throw new Error('must be an http:// or https:// address');
    },
  },
  'webhook.secret': {
    description: 'the key workflow webhooks are signed with (HMAC-SHA256) when a step gives none',
    secret: true,
    check: (v) => {
      if (v.length < 16) throw new Error('must be at least 16 characters');
    },
  },
};

/** Kept by segmint itself, never set by hand: the key unsubscribe links are signed with. */
const UNSUBSCRIBE_SECRET = 'workflows.unsubscribe_secret';

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

/** Several settings' values in force, read in one query (the workflow engine reads them on every tick). */
export async function settingValues<K extends string>(db: Queryable, keys: readonly K[]): Promise<Record<K, string | undefined>> {
  const stored = new Map((await readSettings(db)).map((r) => [r.key, r.value]));
  const out = {} as Record<K, string | undefined>;
  for (const key of keys) {
    const def = definition(key);
    const env = def.env ? process.env[def.env] : undefined;
    out[key] = env !== undefined && env !== '' ? env : (stored.get(key) ?? def.default);
  }
  return out;
}

/** Checks and stores a setting; a bad value is refused with the reason, naming the key. */
export async function setSetting(db: Queryable, key: string, value: string, now = new Date()): Promise<SettingView> {
  const def = definition(key);
  const v = value.trim();
  try {
    def.check?.(v);
  } catch (e) {
    const why = (e as Error).message.replace(/\.$/, '');
    // A refused secret is neither shown nor masked: "*** (set)" read as if it had been stored (trial 8, D8).
    const given = def.secret ? `the value given (${v.length} characters, not shown: it is a secret)` : `"${v}"`;
    throw new SegmintError('invalid_setting', `${key}: ${given} ${why}${def.secret ? '; nothing was stored' : ''}.`, { key });
  }
  await writeSetting(db, key, def.normalize ? def.normalize(v) : v, def.secret, now);
  return view(db, key);
}

export async function unsetSetting(db: Queryable, key: string): Promise<boolean> {
  definition(key);
  return deleteSetting(db, key);
}

/** A setting as it may be shown: secrets masked (an SMTP URL keeps its host, loses its password). */
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
  return { key, value: raw === null ? null : def.secret ? mask(key, raw) : raw, source, secret: def.secret, description: def.description };
}

/** Every known setting, masked. */
export async function listSettings(db: Queryable): Promise<SettingView[]> {
  const out: SettingView[] = [];
  for (const key of Object.keys(SETTINGS)) out.push(await view(db, key));
  return out;
}

// Nodemailer's connection options that an SMTP URL's query may set (docs/workflows.md, Email), by kind: a
// value nodemailer would read otherwise (`?pool=maybe` is "on", `?maxConnections=x` no limit) is refused.
const SMTP_FLAGS = new Set(['pool', 'secure', 'ignoreTLS', 'requireTLS', 'opportunisticTLS', 'logger', 'debug']);
const SMTP_COUNTS = new Set(['maxConnections', 'maxMessages', 'rateLimit', 'rateDelta', 'connectionTimeout', 'greetingTimeout', 'socketTimeout', 'dnsTimeout']);

function checkSmtpOptions(query: URLSearchParams): void {
  for (const [name, value] of query) {
    if (SMTP_FLAGS.has(name) && value !== 'true' && value !== 'false') throw new Error(`?${name}=${value}: ${name} is true or false`);
    if (SMTP_COUNTS.has(name) && !/^[1-9]\d*$/.test(value)) throw new Error(`?${name}=${value}: ${name} is a whole number above 0`);
  }
}

/**
 * Never prints a secret: an SMTP URL shows scheme, user, host and its options (a value whose name says
 * pass, secret, token or key masked); anything else shows only that it is set.
 */
export function mask(key: string, value: string): string {
  if (key === 'smtp.url') {
    try {
      const u = new URL(value);
      const shown = [...u.searchParams].map(([k, v]) => `${k}=${/pass|secret|token|key/i.test(k) ? '***' : v}`);
      return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}:***@` : ''}${u.host}${shown.length > 0 ? `?${shown.join('&')}` : ''}`;
    } catch {
      return '*** (set)';
    }
  }
  return '*** (set)';
}

/** The key unsubscribe links are signed with: made once, at random, and kept in the database. */
export async function unsubscribeSecret(db: Queryable, now = new Date()): Promise<string> {
  const had = await readSetting(db, UNSUBSCRIBE_SECRET);
  if (had) return had.value;
  return writeSettingOnce(db, UNSUBSCRIBE_SECRET, randomBytes(32).toString('hex'), true, now);
}
