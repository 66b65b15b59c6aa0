import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Serves the dashboard (web/, built by `npm run build` into dist/web) at `/` on the API's own port.
 *
 * Every file of the build is read once at start-up into a table from URL to bytes, so only those files can
 * ever be answered: no path from a request reaches the file system. Text files are also kept gzipped and
 * sent so to browsers that accept it. Files under assets/ carry a content hash in their names and are
 * cached for a year; index.html is revalidated on every load so a new build is picked up at once.
 * Without a build, `/` says how to make one.
 */
export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  const dir = dashboardDir();
  const files = dir ? loadFiles(dir) : new Map<string, StaticFile>();
  const index = files.get('/index.html');
  const hide = { schema: { hide: true } };

  const send = (file: StaticFile, req: FastifyRequest, reply: FastifyReply) => {
    void reply.header('content-type', file.type).header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    void reply.header('x-content-type-options', 'nosniff');
    if (file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(file.gzip);
    }
    return reply.send(file.body);
  };

  app.get('/', hide, async (req, reply) => {
    if (!index) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The segmint dashboard is not built. Run `npm run build` in the segmint folder (npm ci does it), then reload.\nThe API itself is up: see /openapi.json.');
    }
    // The page may be framed by nothing and may load scripts and styles only from this server.
    void reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    return send(index, req, reply);
  });
  for (const [url, file] of files) {
    if (url === '/index.html') continue;
    app.get(url, hide, async (req, reply) => send(file, req, reply));
  }
};

interface StaticFile {
  readonly body: Buffer;
  readonly gzip?: Buffer;
  readonly type: string;
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/**
 * Where the built dashboard is: dist/web beside the compiled server (dist/server/routes → dist/web),
 * or, when the server runs from its TypeScript sources (tests, tsx), the project's dist/web.
 * SEGMINT_WEB_DIR names another folder.
 */
export function dashboardDir(): string | undefined {
  const candidates = [
    process.env.SEGMINT_WEB_DIR,
    fileURLToPath(new URL('../../web/', import.meta.url)),
    fileURLToPath(new URL('../../../dist/web/', import.meta.url)),
  ];
  return candidates.find((d): d is string => d !== undefined && d !== '' && existsSync(join(d, 'index.html')));
}

function loadFiles(dir: string): Map<string, StaticFile> {
  const out = new Map<string, StaticFile>();
  for (const path of walk(dir)) {
    const ext = extname(path).toLowerCase();
    const type = TYPES[ext];
    if (!type) continue;
    const body = readFileSync(path);
    const url = '/' + relative(dir, path).split(sep).join('/');
    out.set(url, {
      body,
      ...(COMPRESSIBLE.has(ext) && body.length > 1024 ? { gzip: gzipSync(body, { level: 9 }) } : {}),
      type,
      immutable: url.startsWith('/assets/'),
    });
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
