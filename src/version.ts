import { readFileSync } from 'node:fs';

/** The version in package.json (one folder up from src/ and from dist/ alike): `--version` and the OpenAPI document. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
