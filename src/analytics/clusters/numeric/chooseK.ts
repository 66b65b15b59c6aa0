import { bestOfRestarts, type RestartOptions } from './bestOfRestarts.js';
import type { KMeansResult } from './kmeans.js';
import { pickRows, type Matrix } from './matrix.js';
import type { RandomSource } from '../../../numeric/random.js';
import { sampleIndices } from './sampleIndices.js';
import { silhouette } from './silhouette.js';

export interface KCandidate {
  readonly k: number;
  readonly silhouette: number;
  readonly inertia: number;
  readonly iterations: number;
}

export interface KChoice {
  readonly k: number;
  readonly result: KMeansResult;
  readonly candidates: readonly KCandidate[];
  /** Points the silhouette was measured on (all, or the sample). */
  readonly silhouetteSample: number;
}

/**
 * Fits k-means for every k in ks and keeps the k with the highest mean silhouette (ties: the smaller
 * k). The silhouette is measured on one seeded sample of `silhouetteSample` points shared by all k,
 * so the candidates are compared on the same customers.
 */
export async function chooseK(
  x: Matrix,
  ks: readonly number[],
  random: RandomSource,
  opts: RestartOptions & { readonly silhouetteSample?: number },
): Promise<KChoice> {
  const sample = sampleIndices(x.n, opts.silhouetteSample ?? 2_000, random);
  const sx = pickRows(x, sample);
  const candidates: KCandidate[] = [];
  let best: { k: number; score: number; result: KMeansResult } | undefined;
  for (const k of ks) {
    if (k > x.n) continue;
    const result = await bestOfRestarts(x, k, random, opts);
    const labels = Int32Array.from(sample, (i) => result.labels[i]!);
    const score = silhouette(sx, labels, k);
    candidates.push({ k, silhouette: score, inertia: result.inertia, iterations: result.iterations });
    if (!best || score > best.score) best = { k, score, result };
  }
  if (!best) throw new Error(`chooseK: no k in ${ks.join(', ')} fits ${x.n} points`);
  return { k: best.k, result: best.result, candidates, silhouetteSample: sample.length };
}
