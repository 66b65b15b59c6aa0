import type { Step, WorkflowDefinition } from './types.js';

/** A step of a compiled workflow, with where the run goes after it (null: the run completes). */
export type ProgramStep = Step & { readonly next: string | null };

/**
 * A definition flattened for execution: every step by id, each knowing its continuation. A nested list
 * (a branch's then, a split's variant, a wait's on_event) runs its steps in order and then continues
 * after the step that holds it, so a run's whole position is one step id.
 */
export interface Program {
  readonly definition: WorkflowDefinition;
  readonly first: string | null;
  readonly steps: ReadonlyMap<string, ProgramStep>;
}

export function compileProgram(definition: WorkflowDefinition): Program {
  const steps = new Map<string, ProgramStep>();
  const place = (list: readonly Step[], after: string | null): string | null => {
    for (let i = 0; i < list.length; i++) {
      const step = list[i]!;
      const next = list[i + 1]?.id ?? after;
      steps.set(step.id, { ...step, next });
      switch (step.kind) {
        case 'branch':
          place(step.then, next);
          place(step.else, next);
          break;
        case 'split':
          for (const v of step.variants) place(v.steps, next);
          break;
        case 'wait_event':
          place(step.onEvent, next);
          place(step.onTimeout, next);
          break;
        default:
          break;
      }
    }
    return list[0]?.id ?? after;
  };
  const first = place(definition.steps, null);
  return { definition, first, steps };
}

/** Where a nested list starts: its first step, or (empty) the step after its holder. */
export function entryOf(list: readonly Step[], holder: ProgramStep): string | null {
  return list[0]?.id ?? holder.next;
}
