import type { Step } from './types.js';

/** Every step of a list, nested ones included, in document order. */
export function allSteps(steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  for (const s of steps) {
    out.push(s);
    if (s.kind === 'branch') out.push(...allSteps(s.then), ...allSteps(s.else));
    if (s.kind === 'split') for (const v of s.variants) out.push(...allSteps(v.steps));
    if (s.kind === 'wait_event') out.push(...allSteps(s.onEvent), ...allSteps(s.onTimeout));
  }
  return out;
}
