import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import { DailyMeasureChecks } from '../../measure/daily.js';
import { formatRetention, retentionJob } from '../../privacy/retention.js';
import { startServer } from '../../server/app.js';
import { LIMIT_NAMES, parseLimitOverrides, parseTrustProxy } from '../../server/limit-options.js';
import { resolveDbPath } from '../../store/paths.js';
import { globalOptions, openStore } from '../context.js';
import { intOption } from '../../segments/manage/input.js';
import { decimalNumber, rangeWords } from '../../domain/whole-number.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the HTTP API (live events in the Segment format, keys, segments) and keep every saved segment live. ' +
        'While it runs, every other segmint command on this database is carried out by it.',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', '3000')
    .option('--host <host>', 'address to listen on; 0.0.0.0 to accept other machines', '127.0.0.1')
    .option('--log-level <level>', 'request log level on stderr: fatal, error, warn, info, debug, silent', 'info')
    .option('--max-live-events <n>', 'most events one segment may have the server hold in memory; a costlier segment is refreshed in bulk only', '2000000')
    .option('--webhook-first-retry <seconds>', 'delay before retrying a failed webhook delivery; doubled each time, until 24 hours after the delivery was recorded', '10')
    .option(
      '--limit <name=value>',
      `change one of the server's limits (repeatable; docs/api.md, Limits): ${LIMIT_NAMES.join(', ')}`,
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--trust-proxy <value>', 'behind a reverse proxy: true, or the proxy addresses (comma-separated, CIDR allowed), so rate limits count the client (X-Forwarded-For)')
    .option('--json', 'print the address as one JSON line ({"listening","dashboard"}) and every message on stderr as JSON (the request log is JSON already)')
    .action(async (opts: { port: string; host: string; logLevel: string; maxLiveEvents: string; webhookFirstRetry: string; limit: string[]; trustProxy?: string; json?: boolean }, cmd: Command) => {
      const port = intOption(opts.port, '--port', 0, 65535)!;
      const maxHeldEvents = intOption(opts.maxLiveEvents, '--max-live-events', 1)!;
      const firstRetry = decimalNumber(opts.webhookFirstRetry);
      if (!(firstRetry > 0 && firstRetry <= 3600)) {
        throw new SegmintError('invalid_option', `--webhook-first-retry must be a number of seconds ${rangeWords(0, 3600)}, not "${opts.webhookFirstRetry}".`);
      }
      const limits = parseLimitOverrides(opts.limit);
      const trustProxy = opts.trustProxy === undefined ? false : parseTrustProxy(opts.trustProxy);
      const { store, release, discard } = await openStore(resolveDbPath(globalOptions(cmd).db), { forServer: true });
      let server;
      try {
        // Logs go to stderr so stdout carries only the address (scripts and tests read it).
        server = await startServer({
          store,
          port,
          host: opts.host,
          logger: { level: opts.logLevel, stream: process.stderr },
          limits,
          trustProxy,
          realtime: { maxHeldEvents, webhooks: { baseDelayMs: firstRetry * 1000 } },
        });
      } catch (e) {
        // A server that cannot start (a port in use) leaves no new, empty database file behind.
        discard();
        throw e;
      }
      const running = server;
      // Scripts read the address from stdout: a sentence, or with --json one JSON object.
      const dashboard = `${server.url}/`;
      const signIn = 'sign in with an API key; `segmint keys create --admin` makes one';
      if (opts.json) process.stdout.write(JSON.stringify({ listening: server.url, dashboard }) + '\n');
      else {
        process.stdout.write(`segmint listening on ${server.url}\n`);
        process.stderr.write(`dashboard: ${dashboard} (${signIn})\n`);
      }
      // stderr carries the request log (JSON lines); with --json the server's own messages are JSON lines
      // of the same shape (pino's level 30 = info), written whatever --log-level says.
      const say = (msg: string) => process.stderr.write(opts.json ? JSON.stringify({ level: 30, time: Date.now(), msg }) + '\n' : `segmint: ${msg}\n`);
      if (opts.json) say(`dashboard: ${dashboard} (${signIn})`);
      // Daily segment KPI snapshots and health checks, shortly after each midnight of the workspace time zone.
      const daily = new DailyMeasureChecks(store, { onError: (e) => running.app.log.error({ err: e }, 'daily segment checks failed') });
      daily.start();
      // Event retention (docs/privacy.md), when retention.events_days is set: daily, also shortly after midnight UTC.
      const retention = retentionJob(store, {
        onResult: (r) => r.eventsDeleted > 0 && running.app.log.info({ retention: r }, formatRetention(r)),
        onError: (e) => running.app.log.error({ err: e }, 'event retention failed'),
      });
      retention.start();
      await new Promise<void>((resolve) => {
        // A second Ctrl-C (or SIGTERM) quits without waiting: what was committed is in the database's log.
        const now = (): void => {
          say('quit without waiting; nothing committed is lost.');
          process.exit(130);
        };
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.once('SIGINT', now);
          process.once('SIGTERM', now);
          // Said at once: the workflows finish the send under way, requests are answered, the database closes.
          say('stopping: answering the requests under way and closing the database…');
          // In-flight requests are answered (their events committed) before the store closes; a served
          // import is cancelled and any other served command named while it is waited for.
          void Promise.all([daily.stop(), retention.stop(), running.close(say)]).finally(() => {
            process.off('SIGINT', now);
            process.off('SIGTERM', now);
            release();
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
