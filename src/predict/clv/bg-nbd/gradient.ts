import { groupSummaries } from '../summary-groups.js';
import type { Summaries } from '../summary.js';
import type { BgNbdParams } from './log-likelihood.js';
import { bgNbdValueAndGradient } from './value-and-gradient.js';

/**
 * The analytic gradient of the BG/NBD log-likelihood with respect to (r, α, a, b) over plain summaries
 * (bgNbdValueAndGradient on their grouped rows). Checked against central differences in the tests.
 */
export function bgNbdGradient(p: BgNbdParams, d: Summaries): [number, number, number, number] {
  return bgNbdValueAndGradient(p, groupSummaries(d)).gradient as [number, number, number, number];
}
