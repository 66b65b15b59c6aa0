import cliProgress from 'cli-progress';
import type { DemoProgress } from './generate.js';

export interface ProgressReporter {
  update(p: DemoProgress): void;
  stop(): void;
}

/**
 * Progress of a demo run on stderr: a bar on a terminal; on a pipe or in CI, a line every 10% for
 * runs big enough to take a while (50,000 people or more); nothing for small runs.
 */
export function progressReporter(total: number, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: 'demo {phase} [{bar}] {percentage}% | {value}/{total} people | {events} events | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { phase: 'generate', events: 0 });
    return {
      update: (p) => bar.update(p.people, { phase: p.phase === 'generate' ? 'generate' : 'metrics ', events: p.events.toLocaleString('en-US') }),
      stop: () => bar.stop(),
    };
  }
  if (total < 50_000) return { update: () => undefined, stop: () => undefined };
  let shown = -1;
  return {
    update: (p) => {
      const tenth = p.phase === 'generate' ? Math.floor((10 * p.people) / total) : 10;
      if (tenth === shown && p.phase === 'generate') return;
      shown = tenth;
      stream.write(p.phase === 'generate' ? `demo: ${tenth * 10}% of ${total} people, ${p.events} events\n` : `demo: ${p.phase}\n`);
    },
    stop: () => undefined,
  };
}
