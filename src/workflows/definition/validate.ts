import { Checker, type DefinitionIssue } from './validate/checker.js';
import { readDocument } from './validate/document.js';
import type { WorkflowDefinition } from './types.js';

export type { DefinitionIssue };

/**
 * Validates a parsed document (from JSON or YAML) into a WorkflowDefinition, or returns every problem
 * found, each with its path and the step it is in. zod checks the shape of each part (unknown fields
 * are refused, so a misspelt field is named); the rules between parts (unique step ids, conditions in
 * the segment language, a key to wait on) are checked by the readers of validate/: document.ts (the
 * document, reentry, holdout), trigger.ts, steps.ts (steps, waits, branches, splits), actions.ts (email,
 * webhook, set_trait, tag, list, exit), over checker.ts (the problems found, and the leaves: durations,
 * times, weekdays, templates, conditions).
 */
export function validateDefinition(raw: unknown): { definition: WorkflowDefinition } | { issues: DefinitionIssue[] } {
  const c = new Checker();
  const def = readDocument(c, raw);
  return c.issues.length > 0 || !def ? { issues: c.issues } : { definition: def };
}
