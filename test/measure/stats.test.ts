import { describe, expect, it } from 'vitest';
import { compareToControl } from '../../src/measure/stats/compare.js';
import { confidenceSequence } from '../../src/measure/stats/confidence-sequence.js';
import { achievedPower, requiredTotal } from '../../src/measure/stats/power.js';
import { sampleRatioMismatch } from '../../src/measure/stats/srm.js';
import { momentsOf, proportionMoments } from './moments-of.js';

/*
 * Every pinned number below was computed outside the project with Debian's python3-scipy 1.10.1 and
 * python3-statsmodels 0.13.5 (apt-get install python3-scipy python3-statsmodels); the exact call is
 * written beside each value. Where no library has the estimator (the delta-method relative lift, CUPED,
 * the confidence sequence), it is the published formula written out in numpy, cited beside it.
 */
const close = (actual: number | null, expected: number, digits = 10) => expect(actual).toBeCloseTo(expected, digits);

describe('proportions: 125/1000 treatment vs 100/1000 control', () => {
  const c = compareToControl('proportion', proportionMoments(1000, 100), proportionMoments(1000, 125), 4000);
  it('absolute lift and p-value match statsmodels (Wald, unpooled)', () => {
    // confint_proportions_2indep(125, 1000, 100, 1000, method='wald', compare='diff')
    close(c.absolute_lift.estimate, 0.025);
    close(c.absolute_lift.ci95[0], -0.0026747331039685338);
    close(c.absolute_lift.ci95[1], 0.05267473310396852);
    // test_proportions_2indep(125, 1000, 100, 1000, method='wald', compare='diff').pvalue
    close(c.p_value, 0.07663796276152741);
  });
  it("relative lift, Fieller's interval with the Wald test's z (includes 0 as p = 0.077 says)", () => {
    // scipy: the roots of f(ρ) = (p1 − ρ p0)² − q² (v1 + ρ² v0), v = p(1−p)/n, q = scipy.stats.norm.ppf(0.975),
    // found by scipy.optimize.brentq on either side of p1/p0 (Fieller 1954), less 1
    close(c.relative_lift.estimate, 0.25);
    close(c.relative_lift.ci95[0], -0.023794387668748196);
    close(c.relative_lift.ci95[1], 0.613322477363071);
  });
  it('sequential interval and always-valid p-value', () => {
    // numpy, Waudby-Smith et al. 2023 Thm 2.2 with n = 2000, n* = 4000, α = 0.05:
    // ρ² = (−2 ln α + ln(1 − 2 ln α))/n*; k = nρ²; half = sqrt(V (k+1)/k (ln(k+1) − 2 ln α)); p = min(1, sqrt(k+1) exp(−z² k/(2(k+1))))
    close(c.sequential.absolute_lift.ci95[0], -0.018540055761747845);
    close(c.sequential.absolute_lift.ci95[1], 0.06854005576174783);
    close(c.sequential.p_value, 0.6373809530197199);
    const v = (0.125 * 0.875) / 1000 + (0.1 * 0.9) / 1000;
    const s = confidenceSequence(0.04, v, 2000, 4000);
    close(s.interval.ci95[0], -0.0035400557617478387);
    close(s.pValue, 0.09041380344316732);
  });
  it('has no CUPED figures when nobody converted before assignment', () => {
    expect(c.cuped).toBeNull();
  });
});

describe('means: revenue per customer of 12 treated and 10 control customers, with pre-period revenue', () => {
  const t1 = [12.5, 0, 0, 40.0, 15.25, 0, 88.0, 23.5, 0, 7.75, 31.0, 0];
  const p1 = [10.0, 0, 5.0, 35.0, 20.0, 0, 70.0, 25.0, 0, 0, 28.0, 3.0];
  const t0 = [0, 0, 19.0, 9.5, 0, 55.0, 12.0, 0, 3.25, 20.0];
  const p0 = [0, 2.0, 15.0, 12.0, 0, 60.0, 10.0, 0, 0, 18.0];
  const c = compareToControl('mean', momentsOf([t0, p0]), momentsOf([t1, p1]), 40);
  it("Welch's t matches scipy and statsmodels", () => {
    // scipy.stats.ttest_ind(t1, t0, equal_var=False).pvalue
    close(c.p_value, 0.502576227541647);
    // CompareMeans(DescrStatsW(t1), DescrStatsW(t0)).tconfint_diff(usevar='unequal')
    close(c.absolute_lift.ci95[0], -12.970314407804562, 8);
    close(c.absolute_lift.ci95[1], 25.553647741137897, 8);
  });
  it("relative lift, Fieller's interval with Welch's t quantile", () => {
    // scipy: brentq roots of (m1 − ρ m0)² − q² (v1 + ρ² v0), v = var(ddof=1)/n, q = scipy.stats.t.ppf(0.975, df) with
    // Welch's df = 19.123705553633325 (ttest_ind(t1, t0, equal_var=False).df), less 1. The control mean is so
    // uncertain that the upper end is 30.6 (+3,060%): the delta method's symmetric 2.37 understated it.
    close(c.relative_lift.estimate, 0.5298245614035089);
    close(c.relative_lift.ci95[0], -0.7983482133177354, 8);
    close(c.relative_lift.ci95[1], 30.60081999296488, 7);
  });
  it('CUPED: θ from both groups pooled, then Welch on the adjusted values', () => {
    // numpy (Deng et al. 2013): Y, X = concat; θ = cov(Y, X, ddof=1)/var(X, ddof=1); a = t − θ (p − mean X);
    // then scipy ttest_ind(a1, a0, equal_var=False) and CompareMeans(...).tconfint_diff(usevar='unequal')
    expect(c.cuped).not.toBeNull();
    close(c.cuped!.theta, 1.1025482097571215);
    close(c.cuped!.absolute_lift.estimate, 1.1831932947920034);
    close(c.cuped!.absolute_lift.ci95[0], -2.8992053209160105, 8);
    close(c.cuped!.absolute_lift.ci95[1], 5.265591910500017, 8);
    close(c.cuped!.p_value, 0.5522473212542494, 8);
    expect(c.cuped!.variance_reduction).toBeGreaterThan(0.9);
  });
  it('sequential interval with n = 22 of a planned 40', () => {
    // numpy, the same formula as above with V = var(t1)/12 + var(t0)/10
    close(c.sequential.absolute_lift.ci95[0], -21.979663658724874, 8);
    close(c.sequential.absolute_lift.ci95[1], 34.56299699205821, 8);
    expect(c.sequential.p_value).toBe(1);
  });
});

describe('ratio: average order value as revenue per customer over orders per customer', () => {
  const rev1 = [0, 50.0, 120.0, 0, 35.0, 80.0, 0, 200.0, 45.0, 60.0];
  const ord1 = [0, 1, 2, 0, 1, 1, 0, 3, 1, 1];
  const rev0 = [40.0, 0, 0, 90.0, 30.0, 0, 150.0, 20.0, 0];
  const ord0 = [1, 0, 0, 2, 1, 0, 2, 1, 0];
  const zeros = (k: number) => new Array<number>(k).fill(0);
  const c = compareToControl('ratio', momentsOf([rev0, ord0, zeros(9), zeros(9)]), momentsOf([rev1, ord1, zeros(10), zeros(10)]), 19);
  it('delta-method interval of the difference of ratios', () => {
    // numpy: R = mean(rev)/mean(ord); Var(R) = gᵀ cov(rev, ord, ddof=1) g / n, g = (1/μ_ord, −μ_rev/μ_ord²);
    // diff ± 1.959963984540054 sqrt(V1 + V0); p = 2 scipy.stats.norm.sf(|diff|/se)   (Deng et al. 2018 §3.2)
    close(c.absolute_lift.estimate, 11.857142857142861);
    close(c.absolute_lift.ci95[0], -9.328009254349006, 8);
    close(c.absolute_lift.ci95[1], 33.04229496863473, 8);
    close(c.p_value, 0.27265251226511444, 8);
  });
});

describe('sample ratio mismatch', () => {
  it('matches scipy.stats.chisquare', () => {
    // scipy.stats.chisquare([9600, 10400]) → statistic 32.0, pvalue 1.5417257900280013e-08
    const two = sampleRatioMismatch([9600, 10400], [50, 50]);
    close(two.chiSquare, 32);
    expect(two.pValue! / 1.5417257900280013e-8).toBeCloseTo(1, 9);
    // scipy.stats.chisquare([5050, 4890, 10060], f_exp=[5000, 5000, 10000]) → 3.28, 0.19398004229089189
    const three = sampleRatioMismatch([5050, 4890, 10060], [25, 25, 50]);
    close(three.chiSquare, 3.28);
    close(three.pValue, 0.19398004229089189);
  });
  it('has no p-value without customers', () => {
    expect(sampleRatioMismatch([0, 0], [1, 1]).pValue).toBeNull();
  });
});

describe('power', () => {
  it('matches statsmodels NormalIndPower', () => {
    // NormalIndPower().solve_power(effect_size=0.1, alpha=0.05, power=0.8, ratio=1) → 1569.7721019023288 per group
    // (the closed form leaves out the far tail, which changes the answer by far less than one customer)
    expect(requiredTotal(0.1, 1, 0.5, 1, 0.5) / 2).toBeCloseTo(1569.7721019023288, 2);
    // NormalIndPower().power(effect_size=0.1, nobs1=1000, alpha=0.05, ratio=1) → 0.6087794846454566
    close(achievedPower(0.1, Math.sqrt(2 / 1000)), 0.6087794846454566);
  });
});
