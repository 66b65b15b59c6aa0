import { SegmintError } from '../domain/errors.js';
import { isMemorySize } from '../domain/memory-size.js';
import { HTTP_LIMITS, type HttpLimits } from './limits.js';

/** `requestsPerAddress` → `requests-per-address`: the name a limit has on the command line. */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const byOptionName = new Map(Object.keys(HTTP_LIMITS).map((k) => [kebab(k), k as keyof HttpLimits]));

/** Every limit's command-line name, for help texts and error messages. */
export const LIMIT_NAMES: readonly string[] = [...byOptionName.keys()];

/**
 * Reads `segmint serve --limit NAME=VALUE` settings into overrides of HTTP_LIMITS (src/server/limits.ts).
 * NAME is a limit's name in kebab case (`requests-per-address`); VALUE is a whole number above 0 in the
 * limit's unit (bytes, ms, a count), or for `database-memory` a size such as 2GB. A later setting of the
 * same name wins. Throws SegmintError 'invalid_option' naming the setting for an unknown name or a bad value.
 */
export function parseLimitOverrides(settings: readonly string[]): Partial<HttpLimits> {
  const out: Record<string, number | string> = {};
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    const name = eq < 0 ? setting : setting.slice(0, eq);
    const key = byOptionName.get(name.trim());
    if (key === undefined) {
      throw new SegmintError('invalid_option', `--limit "${setting}": no limit is named "${name}"; the limits are ${LIMIT_NAMES.join(', ')} (docs/api.md, Limits).`, { setting });
    }
    if (eq < 0) throw new SegmintError('invalid_option', `--limit "${setting}": give a value, as in --limit ${name}=${String(HTTP_LIMITS[key])}.`, { setting });
    const value = setting.slice(eq + 1).trim();
    if (typeof HTTP_LIMITS[key] === 'string') {
      if (!isMemorySize(value)) {
        throw new SegmintError('invalid_option', `--limit "${setting}": ${name} is a size such as 512MB or 2GB.`, { setting });
      }
      out[key] = value;
      continue;
    }
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
      throw new SegmintError('invalid_option', `--limit "${setting}": ${name} is a whole number above 0 (default ${String(HTTP_LIMITS[key])}), not "${value}".`, { setting });
    }
    out[key] = n;
  }
  return out as Partial<HttpLimits>;
}

/**
 * Reads `segmint serve --trust-proxy VALUE` into Fastify's trustProxy: `true` trusts any proxy (the
 * left-most X-Forwarded-For address is the client's); anything else is the proxy's addresses or CIDR
 * ranges, comma-separated (as Fastify and proxy-addr take them): then only a request from one of them
 * has its X-Forwarded-For believed.
 */
export function parseTrustProxy(value: string): boolean | string[] {
  const v = value.trim();
  if (v === 'true') return true;
  if (v === 'false') return false;
  const list = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) throw new SegmintError('invalid_option', '--trust-proxy takes true, or the proxy addresses (comma-separated, CIDR allowed).');
  return list;
}
