import type { Command } from 'commander';

/**
 * The command group `name` that a module adds subcommands to (privacy to customers, fairness to segments
 * and propensity), which must be declared before it: a module loaded in the wrong order is a mistake in
 * commands/index.ts, reported as such.
 */
export function attachedGroup(program: Command, name: string, who: string): Command {
  const group = program.commands.find((c) => c.name() === name);
  if (!group) throw new Error(`the ${who} commands attach to \`${name}\`: register them after it`);
  return group;
}
