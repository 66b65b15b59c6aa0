import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgram, loadAllCommands } from '../../src/cli/program.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const tour = readme.slice(readme.indexOf('## A short tour'), readme.indexOf('## Documentation'));
const commands = [...tour.matchAll(/^npx segmint (.*?)(?:\s+#.*)?$/gm)].map((m) => m[1]!.trim());

/** Splits a command line the way a POSIX shell would for plain words and '...' quotes. */
const words = (line: string) => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);

describe('the README tour', () => {
  it('uses npx segmint, which works after npm ci, for every command', () => {
    expect(commands.length).toBeGreaterThan(10);
    expect(tour).not.toMatch(/^segmint /m);
  });

  it('gives the 2011 data its own moment wherever a command would otherwise measure time up to today', () => {
    // Commands whose default as-of is "now" (the others default to the day after the last order).
    const nowByDefault = /^(customers show|quality|segments (preview|explain|refresh))\b/;
    for (const c of commands.filter((x) => !x.startsWith('--db'))) {
      if (nowByDefault.test(c)) expect(c, c).toMatch(/--as-of 2011-12-10\b/);
    }
  });

  it('runs as pasted: a foreground serve (it runs until Ctrl-C) is the last command of its block', () => {
    const blocks = [...tour.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => [...m[1]!.matchAll(/^npx segmint (.*?)(?:\s+#.*)?$/gm)].map((c) => c[1]!.trim()));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      block.forEach((c, i) => {
        const argv = words(c).filter((w, j, all) => !(w === '--db' || all[j - 1] === '--db'));
        if (argv[0] === 'serve' && !c.endsWith('&')) expect(i, `${c} stops the block it is pasted in`).toBe(block.length - 1);
      });
    }
  });

  it('names only commands and options segmint has', async () => {
    const program = await loadAllCommands(buildProgram());
    for (const c of commands) {
      const argv = words(c).filter((w, i, all) => !(w === '--db' || all[i - 1] === '--db'));
      let cmd = program;
      for (const w of argv) {
        const sub = cmd.commands.find((s) => s.name() === w);
        if (sub) cmd = sub;
        else break;
      }
      expect(cmd, c).not.toBe(program);
      for (const option of argv.filter((w) => w.startsWith('--'))) {
        expect(cmd.options.some((o) => o.long === option) || program.options.some((o) => o.long === option), `${c}: ${option}`).toBe(true);
      }
    }
  });
});
