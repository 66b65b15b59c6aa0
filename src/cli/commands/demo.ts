import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../../domain/words.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import { checkDemoPort, startDemoServer } from '../../demo/serve.js';
import { generateDemo, type DemoProgress } from '../../demo/generate.js';
import { demoOptions } from '../../demo/options.js';
import { continueEarlierDemo } from '../../demo/rerun.js';
import { demoText } from '../../demo/report.js';
import { resolveDbPath } from '../../store/paths.js';
import { showcaseCustomer } from '../../store/queries/demo/summary.js';
import { cliStderr, globalOptions, openStore, output } from '../context.js';
import { progressReporter } from '../../demo/progress.js';

interface DemoFlags {
  customers?: string;
  days?: string;
  seed?: string;
  end?: string;
  port: string;
  host: string;
  serve: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Generate a realistic synthetic shop (seeded; 5,000 people over a year by default), load it into the ' +
        'database and start the HTTP server. Run again with the same options: nothing is duplicated.',
    )
    .option('--customers <n>', 'people in the shop, anonymous-only visitors included', '5000')
    .option('--days <n>', 'length of the period in days', '365')
    .option('--seed <n>', 'random seed: the same seed and --end give the same data', '42')
    .option('--end <date>', 'end of the period, YYYY-MM-DD, midnight UTC (default: today, or the end of the same demo already in the database; pass it for reproducible data)')
    .option('--port <n>', 'port for the HTTP server', '3000')
    .option('--host <host>', 'interface the server listens on', '127.0.0.1')
    .option('--no-serve', 'load the data and exit without starting the server')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: DemoFlags, cmd: Command) => {
      const given = demoOptions(flags);
      const port = wholeNumberIn(String(flags.port), '--port', 0, 65535);
      const dbFlagValue = globalOptions(cmd).db;
      const path = resolveDbPath(dbFlagValue);
      const opened = await openStore(path, { forServer: flags.serve });
      const { store, release } = opened;
      let keepOpen = false;
      try {
        // A port in use is found before the data is generated, not after (a database created for it is removed).
        if (flags.serve) await checkDemoPort(port, flags.host);
        // Run again on a later day without --end: the demo already in the file is the one meant.
        const opts = flags.end === undefined ? await continueEarlierDemo(store, given) : given;
        const progress = progressReporter(opts.customers, cliStderr() as NodeJS.WriteStream);
        // Ctrl-C while loading: remove the chunk files; the next run of the same command completes the load.
        const tmpDir = mkdtempSync(join(tmpdir(), 'segmint-demo-'));
        const interrupted = () => {
          progress.stop();
          rmSync(tmpDir, { recursive: true, force: true });
          process.stderr.write('\nsegmint: demo interrupted; run the same command again to complete it.\n');
          process.exit(130);
        };
        process.once('SIGINT', interrupted);
        const result = await generateDemo(store, { ...opts, tmpDir, onProgress: (p: DemoProgress) => progress.update(p) }).finally(() => {
          process.off('SIGINT', interrupted);
          progress.stop();
          rmSync(tmpDir, { recursive: true, force: true });
        });
        const showcase = await showcaseCustomer(store);
        const server = flags.serve ? await startDemoServer(store, port, flags.host) : undefined;
        // The dashboard signs in with the demo's admin key, the one printed for the segment endpoints.
        const dashboard = server ? { url: `${server.url}/`, key: result.adminKey.key, link: `${server.url}/#key=${result.adminKey.key}` } : undefined;
        const next = {
          dbFlag: dbFlagValue ? ` --db ${shellQuote(dbFlagValue)}` : '',
          url: server?.url,
          customerId: showcase?.customer_id,
          email: showcase?.email,
          userId: showcase?.user_id,
          dashboard: dashboard?.link,
        };
        const keyJson = (k: typeof result.key) => ({ key_id: k.keyId, key: k.key, scopes: k.scopes });
        output(
          flags.json,
          { path, options: { ...opts, end: opts.end.toISOString().slice(0, 10) }, ...result, key: keyJson(result.key), adminKey: keyJson(result.adminKey), showcase, server: server ? { url: server.url } : null, dashboard: dashboard ?? null },
          () =>
            demoText(path, opts, result, next),
        );
        if (server) {
          keepOpen = true;
          // Started in the background so Ctrl-C / SIGTERM is handled from the first moment.
          const print = (line: string): void => void process.stderr.write(`${line}\n`);
          const stopping = new AbortController();
          const flows = import('../../workflows/demo/index.js')
            .then(({ startDemoWorkflows }) => startDemoWorkflows(store, server, { dbPath: path, print, signal: stopping.signal, demoEnd: opts.end }))
            .catch((e: unknown) => print(`segmint: the demo workflows did not start: ${String(e)}`));
          await waitForStop(print, async () => {
            // CLI commands the demo carries out are stopped first, at once: a served import holds the
            // database, so the workflows could not finish their step before it ends (trial 13, L8).
            const commands = server.stopCommands((m) => print(`segmint: ${m}`));
            // Workflows still starting skip their remaining steps (stopping.signal) instead of finishing them.
            stopping.abort();
            await (await flows)?.stop();
            await commands;
            await server.close();
            release();
          });
        }
      } catch (e) {
        // A demo that fails (the server cannot start, say) removes the database file it created itself.
        if (!keepOpen) opened.discard();
        throw e;
      } finally {
        if (!keepOpen) release();
      }
    });
}

/**
 * Resolves once SIGINT or SIGTERM arrives and the server and store are closed. It says at once that it
 * is stopping: the workflows finish the send under way (the rest stays due for the next run), the server
 * answers the requests it holds and the database closes. A second Ctrl-C quits without waiting; nothing
 * committed is lost (every write is in the database's log before it is answered), and the next run
 * carries on where the database says.
 */
function waitForStop(print: (line: string) => void, close: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const now = (): void => {
      print('segmint: quit without waiting; the next run of the demo carries on where the database says.');
      process.exit(130);
    };
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.once('SIGINT', now);
      process.once('SIGTERM', now);
      print('\nsegmint: stopping the demo: finishing the email being sent and closing the database (Ctrl-C again to quit at once)…');
      close().then(() => {
        process.off('SIGINT', now);
        process.off('SIGTERM', now);
        print('segmint: demo stopped.');
        resolve();
      }, reject);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
