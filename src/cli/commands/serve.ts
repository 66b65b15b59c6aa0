import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import { DailyMeasureChecks } from '../../measure/daily.js';
import { formatRetention, retentionJob } from '../../privacy/retention.js';
import { startServer } from '../../server/app.js';
import { Store } from '../../store/db.js';
import { resolveDbPath } from '../../store/paths.js';
import { globalOptions } from '../context.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('Run the HTTP API: live events in the Segment format (POST /v1/track, /v1/batch, ...), keys, segments')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '3000')
    .option('--host <host>', 'address to listen on; 0.0.0.0 to accept other machines', '127.0.0.1')
    .option('--log-level <level>', 'request log level on stderr: fatal, error, warn, info, debug, silent', 'info')
    .action(async (opts: { port: string; host: string; logLevel: string }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new SegmintError('invalid_option', `--port must be a whole number from 0 to 65535, not "${opts.port}".`);
      }
      const store = await Store.open(resolveDbPath(globalOptions(cmd).db));
      let server;
      try {
        // Logs go to stderr so stdout carries only the address (scripts and tests read it).
        server = await startServer({ store, port, host: opts.host, logger: { level: opts.logLevel, stream: process.stderr } });
      } catch (e) {
        store.close();
        throw e;
      }
      process.stdout.write(`segmint listening on ${server.url}\n`);
      const running = server;
      // Daily segment KPI snapshots and health checks, shortly after each UTC midnight.
      const daily = new DailyMeasureChecks(store, { onError: (e) => running.app.log.error({ err: e }, 'daily segment checks failed') });
      daily.start();
      // Event retention (docs/privacy.md), when retention.events_days is set: daily, also shortly after midnight UTC.
      const retention = retentionJob(store, {
        onResult: (r) => r.eventsDeleted > 0 && running.app.log.info({ retention: r }, formatRetention(r)),
        onError: (e) => running.app.log.error({ err: e }, 'event retention failed'),
      });
      retention.start();
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          // In-flight requests are answered (their events committed) before the store closes.
          void Promise.all([daily.stop(), retention.stop(), running.close()]).finally(() => {
            store.close();
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
