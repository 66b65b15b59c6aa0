import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { asksVersion } from '../../src/cli/version.js';
import { CLI } from '../helpers/serve.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

it('segmint --version and -V print the version of package.json and exit 0, as a whole process', () => {
  const run = (...args: string[]) => execFileSync(process.execPath, [...CLI, ...args], { cwd: root, encoding: 'utf8' });
  for (const flag of ['--version', '-V']) expect(run(flag)).toBe(`${version}\n`);
  expect(run('--help')).toContain('segmint --version prints the version');
});

it('only a line that asks for nothing else is a version request: a workflow version is not', () => {
  const argv = (...a: string[]) => ['node', 'segmint', ...a];
  expect(asksVersion(argv('--version'))).toBe(true);
  expect(asksVersion(argv('--db', 'x.duckdb', '-V'))).toBe(true);
  expect(asksVersion(argv('--db=x.duckdb', '--version'))).toBe(true);
  expect(asksVersion(argv('workflows', 'show', 'welcome', '--version', '2'))).toBe(false);
  expect(asksVersion(argv('customers', 'show', '--version'))).toBe(false);
  expect(asksVersion(argv())).toBe(false);
});
