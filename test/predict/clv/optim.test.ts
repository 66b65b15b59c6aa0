import { describe, expect, it } from 'vitest';
import { bfgsPolish } from '../../../src/predict/optim/bfgs.js';
import { numericGradient } from '../../../src/predict/optim/gradient.js';
import { numericHessian } from '../../../src/predict/optim/hessian.js';
import { invertMatrix } from '../../../src/predict/optim/invert.js';
import { maximiseLogLikelihood } from '../../../src/predict/optim/maximise.js';
import { nelderMead } from '../../../src/predict/optim/nelder-mead.js';
import { seededRandom } from '../../../src/numeric/random.js';

const rosenbrock = (v: readonly number[]) => 100 * ((v[1] as number) - (v[0] as number) ** 2) ** 2 + (1 - (v[0] as number)) ** 2;

describe('optimiser building blocks', () => {
  it('Nelder–Mead finds the Rosenbrock valley minimum at (1, 1)', () => {
    const r = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it('BFGS polish drives the gradient to ~0 and never ends worse than it started', () => {
    const start = [0.8, 0.7];
    const r = bfgsPolish(rosenbrock, (v) => numericGradient(rosenbrock, v, 1e-7), start, { maxIterations: 200 });
    expect(r.value).toBeLessThanOrEqual(rosenbrock(start));
    expect(r.x[0]).toBeCloseTo(1, 4);
  });

  it('the numeric Hessian of a quadratic is its matrix; inversion gives the identity back', () => {
    const A = [
      [4, 1, 0.5],
      [1, 3, -0.2],
      [0.5, -0.2, 2],
    ];
    const f = (v: readonly number[]) => 0.5 * A.reduce((s, row, i) => s + row.reduce((t, a, j) => t + a * (v[i] as number) * (v[j] as number), 0), 0);
    const H = numericHessian(f, [0.3, -0.4, 1.1]);
    H.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo((A[i] as number[])[j] as number, 5)));
    const inv = invertMatrix(A) as number[][];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const v = A[i]!.reduce((s, a, k) => s + a * inv[k]![j]!, 0);
        expect(v).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    expect(invertMatrix([[1, 2], [2, 4]])).toBeUndefined();
  });

  it('maximum likelihood of a normal sample: mean, sd and the textbook standard errors σ/√n and σ/√(2n)', () => {
    const random = seededRandom(42);
    const xs = Array.from({ length: 2000 }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) * 2 + 10);
    const n = xs.length;
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
    const ll = ([mu, sigma]: readonly number[]) =>
      xs.reduce((s, x) => s - Math.log(sigma as number) - (x - (mu as number)) ** 2 / (2 * (sigma as number) ** 2), 0);
    const r = maximiseLogLikelihood(ll, { start: [5, 1], random: seededRandom(1) });
    expect(r.convergence.converged).toBe(true);
    expect(r.params[0]).toBeCloseTo(mean, 6);
    expect(r.params[1]).toBeCloseTo(sd, 6);
    expect(r.standardErrors[0]! / (sd / Math.sqrt(n))).toBeCloseTo(1, 3);
    expect(r.standardErrors[1]! / (sd / Math.sqrt(2 * n))).toBeCloseTo(1, 3);
  });

  it('the same seed gives the same restarts', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    for (let i = 0; i < 5; i++) expect(a()).toBe(b());
  });
});
