/**
 * The shape of the demo shop's customer base. These are the knobs of the simulation; docs/demo.md
 * explains them for shop owners. With these values the average person produces about 20 events.
 */
export const MODEL = {
  /** Share of people who only ever browse anonymously (no identify, no order). */
  anonymousShare: 0.3,
  /** Share of identified people who place at least one order; the rest signed up and never bought. */
  buyerShare: 0.7,
  /**
   * BG/NBD purchase process. While alive, a buyer purchases as a Poisson process with rate
   * λ ~ Gamma(r, α) per day (mean r/α ≈ 3.3 purchases a year); after each repeat purchase they drop out
   * for good with probability p ~ Beta(a, b) (mean a/(a+b) ≈ 0.22).
   */
  purchaseShape: 0.75,
  purchaseRatePerDay: 82,
  dropoutA: 1.0,
  dropoutB: 3.5,
  /** Gamma-Gamma-like spend: a per-customer basket multiplier ν ~ Gamma(q, q) (mean 1). */
  spendShape: 3,
  /** Mean extra lines in a basket (beyond the first), scaled by ν. */
  extraLinesMean: 0.7,
  /** Probability a line has quantity 2 instead of 1. */
  doubleQuantity: 0.12,
  /** Probability an order is refunded (in full or one line), 2 to 21 days later. */
  refundShare: 0.06,
  /** Mean browse-only sessions between two orders, and for a non-buyer over a year. */
  browseSessionsPerOrder: 1,
  browseSessionsPerYear: 4,
  /** Probability of an abandoned checkout before each order, and for a non-buyer over their life. */
  abandonBeforeOrder: 0.25,
  abandonNonBuyer: 0.45,
  /** Anonymous-only visitors: mean sessions (at least one). */
  anonymousExtraSessions: 0.6,
  /** Share of identified people who also use a second device (a second anonymous id). */
  secondDevice: 0.2,
  /** Newsletter cadence in days, and the consent shares asked at sign-up. */
  campaignEveryDays: 18,
  emailConsent: 0.62,
  smsConsent: 0.22,
  /** Per-person open propensity ~ Beta(a, b) (mean ≈ 0.3); clicks happen on 15% of opens. */
  openA: 1.2,
  openB: 2.8,
  clickGivenOpen: 0.15,
  /** Orders at which a member becomes VIP (an identify with plan "vip" follows). */
  vipOrders: 4,
  currency: 'EUR',
} as const;
