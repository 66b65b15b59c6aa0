import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';
import { renderError } from '../../src/cli/errors.js';
import { buildProgram } from '../../src/cli/program.js';

it('segmint --version prints the version of package.json and exits 0', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  let thrown: unknown;
  try {
    await buildProgram().parseAsync(['node', 'segmint', '--version']);
  } catch (e) {
    thrown = e;
  } finally {
    spy.mockRestore();
  }
  expect(out).toBe(`${version}\n`);
  expect(renderError(thrown, { json: false }).exitCode).toBe(0);
});
