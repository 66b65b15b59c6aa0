import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestIn } from './newest.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = join(root, 'dist', 'web');

/**
 * A build of the dashboard matching its sources: dist/web when it is newer than every file under web/
 * (npm run build made it), otherwise a fresh Vite build into a temporary folder, so browser tests never
 * test a stale bundle. Returns the folder to give the server as SEGMINT_WEB_DIR.
 */
export async function dashboardBuild(): Promise<string> {
  const manifest = join(built, '.vite', 'manifest.json');
  const sources = Math.max(newestIn(join(root, 'web', 'src')), statSync(join(root, 'web', 'index.html')).mtimeMs, statSync(join(root, 'web', 'vite.config.ts')).mtimeMs);
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= sources) return built;
  const out = mkdtempSync(join(tmpdir(), 'segmint-web-build-'));
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
  return out;
}
