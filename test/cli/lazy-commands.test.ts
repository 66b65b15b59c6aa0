import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Help } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { commandModules } from '../../src/cli/commands/index.js';
import { buildProgram } from '../../src/cli/program.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** Runs fn with stdout captured; returns what it wrote. */
async function quietly(fn: () => Promise<unknown>): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

/**
 * Files and packages reachable from a source file through static (non-type) imports: what Node loads
 * before the first line of the entry runs.
 */
function staticImports(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
      if (m[1]) continue;
      const spec = (m[2] ?? m[3]) as string;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files: [...files].map((f) => relative(src, f)).sort(), packages: [...packages].sort() };
}

describe('command modules load when their command runs', () => {
  it('each help line in commands/index.ts is the one its module declares', async () => {
    const help = new Help();
    for (const entry of commandModules) {
      const eager = new Command('segmint');
      (await entry.load()).register(eager);
      const declared = eager.commands.find((c) => c.name() === entry.name);
      expect(declared, `${entry.name}: its module declares no command of that name`).toBeDefined();
      expect(eager.commands).toHaveLength(1);
      expect(entry.description).toBe(declared?.description());
      expect(entry.term).toBe(help.subcommandTerm(declared as Command));
    }
  });

  it('the root help is the same before and after every group is loaded', async () => {
    const lazy = buildProgram();
    const loaded = buildProgram();
    for (const c of loaded.commands) c.exitOverride();
    for (const entry of commandModules) {
      // `segmint <group> --help` loads the group, prints its help and "exits" (exitOverride throws).
      const printed = await quietly(() => loaded.parseAsync(['node', 'segmint', entry.name, '--help']).catch(() => undefined));
      expect(printed).toContain(`Usage: segmint ${entry.name}`);
    }
    expect(loaded.helpInformation()).toBe(lazy.helpInformation());
    expect(lazy.helpInformation()).toContain('recommend [options] [customer_id]');
  });

  it('`segmint help <group>` and a subcommand of a group run through the loaded module', async () => {
    const program = buildProgram();
    for (const c of program.commands) c.exitOverride();
    const printed = await quietly(() => program.parseAsync(['node', 'segmint', 'help', 'clv']).catch(() => undefined));
    expect(printed).toContain('Usage: segmint clv [options] [command]');
    expect(printed).toMatch(/fit \[options\]\s+fit the lifetime-value models/);
  });

  it('starting the CLI imports no command module, no database and no HTTP server', () => {
    const { files, packages } = staticImports(join(src, 'cli/main.ts'));
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
    expect(files.filter((f) => f.startsWith('cli/commands/') && f !== join('cli/commands/index.ts'))).toEqual([]);
  });

  it('`customers show` and `list` load neither the model code nor the HTTP server', () => {
    const { files, packages } = staticImports(join(src, 'cli/commands/customers.ts'));
    expect(packages).not.toContain('fastify');
    expect(packages.filter((p) => p.startsWith('@stdlib/'))).toEqual([]);
    expect(files.filter((f) => /^(predict\/(clv|optim|explain)|server)\//.test(f))).toEqual([]);
  });
});
