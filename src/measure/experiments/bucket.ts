import { createHash } from 'node:crypto';

/** The size of the bucket scale: buckets are the integers 0 … 2³² − 1. */
export const BUCKETS = 2 ** 32;

/**
 * A customer's stable bucket in an experiment: the first 32 bits of md5(salt + ':' + customerId), as an
 * unsigned integer in [0, 2³²). The database computes the same number when it assigns a campaign
 * (store/queries/measure/assign.ts), so an assignment can be checked or recomputed anywhere. md5 is used
 * for its spread and its stability across machines and versions, not for secrecy.
 */
export function assignmentBucket(salt: string, customerId: string): number {
  return createHash('md5').update(`${salt}:${customerId}`, 'utf8').digest().readUInt32BE(0);
}

/** The group whose bucket range holds `bucket`, given the groups' upper bounds in order. */
export function groupForBucket(bucket: number, bounds: readonly { name: string; upper: number }[]): string {
  for (const b of bounds) if (bucket < b.upper) return b.name;
  return bounds[bounds.length - 1]!.name;
}
