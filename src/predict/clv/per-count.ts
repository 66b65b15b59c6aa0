/**
 * A memo of f over the integer transaction counts x = 0, 1, 2, … for one likelihood evaluation. Terms
 * like lnΓ(r+x) depend on the customer only through x, and a customer base has few distinct counts, so
 * the special functions run once per distinct count instead of once per customer.
 */
export function perCount(f: (x: number) => number): (x: number) => number {
  const cache: number[] = [];
  return (x) => {
    if (!Number.isInteger(x) || x < 0 || x > 1_000_000) return f(x);
    let v = cache[x];
    if (v === undefined) {
      v = f(x);
      cache[x] = v;
    }
    return v;
  };
}
