import { choleskySolve } from './cholesky-solve.js';
import { log1pExp } from './log1p-exp.js';
import type { Matrix } from './matrix.js';
import { sigmoid } from './sigmoid.js';

export interface LogisticFit {
  readonly intercept: number;
  /** One weight per column of x. */
  readonly weights: readonly number[];
  /** Penalised log-likelihood at the solution: ℓ(β) − λ/2·‖w‖². */
  readonly objective: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface LogisticOptions {
  /** L2 penalty λ on the weights (never on the intercept). Must be > 0 unless the data are known to be non-separable. */
  readonly lambda?: number;
  readonly maxIterations?: number;
  /** Stop when the largest Newton step on any coefficient is below this. */
  readonly tolerance?: number;
}

/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least squares).
 *
 * Maximises ℓ(b, w) − λ/2·‖w‖² with ℓ = Σ yᵢηᵢ − ln(1 + e^ηᵢ), ηᵢ = b + xᵢ·w. Each step solves
 * (X̃ᵀ W X̃ + λĨ) Δ = X̃ᵀ(y − μ) − λw̃ by Cholesky (X̃ = [1 | X], Ĩ without the intercept) and halves the
 * step while the objective would fall, so it converges from the zero start even on awkward data.
 * The objective is strictly concave for λ > 0, so the optimum is unique and the result deterministic:
 * no randomness, no data-order dependence beyond floating-point summation order.
 *
 * x should be standardised so that one λ means the same pull on every weight. labels are 0 or 1.
 */
export function logisticFit(x: Matrix, labels: ArrayLike<number>, options: LogisticOptions = {}): LogisticFit {
  const lambda = options.lambda ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-9;
  const { rows: n, cols: p, data } = x;
  if (labels.length !== n) throw new RangeError(`logisticFit: ${n} rows but ${labels.length} labels`);
  if (lambda < 0) throw new RangeError(`logisticFit: lambda ${lambda} < 0`);
  const d = p + 1;
  const beta = new Float64Array(d);
  const eta = new Float64Array(n);

  const objectiveAt = (b: Float64Array): number => {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let z = b[0] as number;
      const row = i * p;
      for (let j = 0; j < p; j++) z += (data[row + j] as number) * (b[j + 1] as number);
      ll += (labels[i] as number) * z - log1pExp(z);
    }
    let pen = 0;
    for (let j = 1; j < d; j++) pen += (b[j] as number) ** 2;
    return ll - (lambda / 2) * pen;
  };

  let objective = objectiveAt(beta);
  let iterations = 0;
  let converged = false;
  const h = new Float64Array(d * d);
  const g = new Float64Array(d);
  const xi = new Float64Array(d);
  xi[0] = 1;
  while (iterations < maxIterations) {
    iterations++;
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * p;
      let z = beta[0] as number;
      for (let j = 0; j < p; j++) {
        const v = data[row + j] as number;
        xi[j + 1] = v;
        z += v * (beta[j + 1] as number);
      }
      eta[i] = z;
      const mu = sigmoid(z);
      const w = mu * (1 - mu);
      const r = (labels[i] as number) - mu;
      // Only the lower triangle: the Hessian is symmetric, and this loop is the cost of the whole fit.
      for (let a = 0; a < d; a++) {
        const wa = w * (xi[a] as number);
        g[a] = (g[a] as number) + r * (xi[a] as number);
        const base = a * d;
        for (let b = 0; b <= a; b++) h[base + b] = (h[base + b] as number) + wa * (xi[b] as number);
      }
    }
    for (let a = 1; a < d; a++) {
      g[a] = (g[a] as number) - lambda * (beta[a] as number);
      h[a * d + a] = (h[a * d + a] as number) + lambda;
    }
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) h[a * d + b] = h[b * d + a] as number;
    // A tiny ridge on the intercept keeps the system solvable when every label is equal.
    h[0] = (h[0] as number) + 1e-12;
    const step = choleskySolve(h, g, d);
    let t = 1;
    let candidate = new Float64Array(d);
    let next = -Infinity;
    for (let halvings = 0; halvings < 30; halvings++) {
      candidate = beta.map((b, k) => b + t * (step[k] as number));
      next = objectiveAt(candidate);
      if (next >= objective - 1e-12 * Math.abs(objective)) break;
      t /= 2;
    }
    let largest = 0;
    for (let k = 0; k < d; k++) largest = Math.max(largest, Math.abs((candidate[k] as number) - (beta[k] as number)));
    beta.set(candidate);
    objective = next;
    if (largest < tolerance) {
      converged = true;
      break;
    }
  }
  return { intercept: beta[0] as number, weights: Array.from(beta.subarray(1)), objective, iterations, converged };
}
