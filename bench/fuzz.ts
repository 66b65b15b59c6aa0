/**
 * The fuzz of test/server/fuzz.test.ts at scale: hostile and careless requests over every ingestion
 * route and the segment preview, generated from a seed, sent to one server over loopback sockets by a
 * few concurrent clients. Prints the answers by status, the requests answered 5xx (there must be none
 * but 503, the body budget's "retry") and the 4xx answers that do not name their problem.
 *
 *   npx tsx bench/fuzz.ts                 (100,000 requests; SEGMINT_FUZZ_N=10000 for fewer)
 *   SEGMINT_FUZZ_SEED=7 npx tsx bench/fuzz.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/app.js';
import { createApiKey } from '../src/server/keys.js';
import { Store } from '../src/store/db.js';
import { fuzzRequests, runFuzz, type FuzzTally } from '../test/fixtures/fuzz.js';
import { UNLIMITED } from '../test/fixtures/limits.js';

const total = Number(process.env.SEGMINT_FUZZ_N ?? '100000');
const seed = Number(process.env.SEGMINT_FUZZ_SEED ?? '20240501');
const clients = 8;
const chunk = 5000;

const dir = mkdtempSync(join(tmpdir(), 'segmint-fuzz-'));
const store = await Store.open(join(dir, 'fuzz.duckdb'));
const keys = {
  server: (await createApiKey(store, ['write'], 'server', 'server')).key,
  browser: (await createApiKey(store, ['write'], 'browser', 'browser')).key,
  admin: (await createApiKey(store, ['admin'], 'admin')).key,
};
// One loopback address sends everything: the rate limits would answer most of it 429.
const server = await startServer({ store, port: 0, host: '127.0.0.1', limits: UNLIMITED });
// A connection the server closed instead of answering is tallied as status 0, with the request shown.
// One exception is the client's: fetch may reuse a kept-alive connection at the instant the server
// closes it as idle (nodejs/undici#3141, nodejs/node#52649; likelier when a loaded machine stalls the
// client's timers). A reset is sent once more on a new connection; only a second failure counts.
let resetOnReuse = 0;
const send = async (o: { method: 'POST'; url: string; headers: Record<string, string>; payload: string | Buffer }) => {
  const body = typeof o.payload === 'string' ? o.payload : new Uint8Array(o.payload);
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(server.url + o.url, { method: o.method, headers: o.headers, body });
      return { statusCode: res.status, body: await res.text() };
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if (attempt === 1 && (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET')) {
        resetOnReuse++;
        continue;
      }
      return { statusCode: 0, body: `no answer: ${String(cause ?? e)}` };
    }
  }
};

const byStatus: Record<number, number> = {};
const serverErrors: FuzzTally['serverErrors'] = [];
const unclear: FuzzTally['unclear'] = [];
const noAnswer: FuzzTally['noAnswer'] = [];
const started = performance.now();
try {
  for (let done = 0; done < total; done += chunk) {
    const requests = fuzzRequests(Math.min(chunk, total - done), seed + done);
    const parts = Array.from({ length: clients }, (_, c) => requests.filter((_, i) => i % clients === c));
    const tallies = await Promise.all(parts.map((p) => runFuzz(send, keys, p)));
    for (const t of tallies) {
      for (const [k, v] of Object.entries(t.byStatus)) byStatus[Number(k)] = (byStatus[Number(k)] ?? 0) + v;
      serverErrors.push(...t.serverErrors);
      noAnswer.push(...t.noAnswer);
      unclear.push(...t.unclear);
    }
    process.stderr.write(`\r${Math.min(done + chunk, total)} / ${total}`);
  }
  process.stderr.write('\n');
  const health = await fetch(server.url + '/health');
  const seconds = (performance.now() - started) / 1000;
  console.log(`${total} requests (seed ${seed}) in ${seconds.toFixed(0)} s, ${(total / seconds).toFixed(0)} requests/s, load average ${loadavg()[0]!.toFixed(1)}`);
  console.log('answers by status:', Object.entries(byStatus).map(([k, v]) => `${k}: ${v}`).join(', '));
  console.log(
    `5xx other than 503: ${serverErrors.length}; 4xx without a message naming the problem: ${unclear.length}; closed without an answer: ${noAnswer.length}; /health after: ${health.status}; ` +
      `connections reset on reuse and answered when sent again: ${resetOnReuse}`,
  );
  for (const e of [...serverErrors, ...unclear, ...noAnswer].slice(0, 10)) console.log(e.status, e.request.url, JSON.stringify(e.request.payload.toString()).slice(0, 200), e.body.slice(0, 200));
  if (serverErrors.length > 0 || unclear.length > 0 || noAnswer.length > 0 || health.status !== 200) process.exitCode = 1;
} finally {
  await server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
