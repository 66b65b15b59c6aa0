/**
 * Nodes and weights of n-point Gauss–Legendre quadrature on [−1, 1], found by Newton's method on the
 * Legendre polynomial Pₙ from the Chebyshev-like initial guesses cos(π(i − ¼)/(n + ½)). Exact for
 * polynomials of degree 2n − 1; computed once per n and cached.
 */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const cached = cache.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      // P_n(x) and P_{n−1}(x) by the three-term recurrence.
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pn1 = n === 1 ? 1 : p0;
      derivative = (n * (x * pn - pn1)) / (x * x - 1);
      const dx = pn / derivative;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const w = 2 / ((1 - x * x) * derivative * derivative);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}

const cache = new Map<number, { nodes: Float64Array; weights: Float64Array }>();
