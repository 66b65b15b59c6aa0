import { createHash } from 'node:crypto';

/** The step id under which a workflow's holdout decision is recorded in workflow_assignments. */
export const ENTRY_STEP = '$entry';
export const HOLDOUT = 'holdout';
export const TREATMENT = 'treatment';

/**
 * A number in [0, 1) fixed by (workflow, salt, customer): the first 52 bits of SHA-256 over the three,
 * NUL-separated, divided by 2^52. The same customer always lands in the same place of the same
 * workflow's split or holdout (salt: the split step's id, or ENTRY_STEP for the holdout), across runs,
 * restarts and versions; different splits of one workflow are independent of each other.
 */
export function unitHash(workflowId: string, salt: string, customerId: string): number {
  const digest = createHash('sha256').update(`${workflowId}\u0000${salt}\u0000${customerId}`).digest();
  // 6 bytes = 48 bits + 4 more bits of the 7th: 52 bits, exact in a double.
  const hi = digest.readUIntBE(0, 6);
  const lo = digest[6]! >> 4;
  return (hi * 16 + lo) / 2 ** 52;
}

/** The variant whose share of the cumulative weights holds u (weights need not sum to 1). */
export function pickVariant<T extends { readonly weight: number }>(variants: readonly T[], u: number): T {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  let acc = 0;
  for (const v of variants) {
    acc += v.weight / total;
    if (u < acc) return v;
  }
  return variants[variants.length - 1]!;
}

/** Whether the customer is in the workflow's holdout of share h (0 ≤ h < 1). */
export function inHoldout(workflowId: string, customerId: string, h: number): boolean {
  return h > 0 && unitHash(workflowId, ENTRY_STEP, customerId) < h;
}
