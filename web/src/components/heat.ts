/**
 * A sequential colour scale for heat maps (light to dark teal) and the text colour readable on each
 * step: whichever of black and white contrasts more (WCAG relative luminance). With pure black and
 * white the worse of the two is at least 4.58:1 (where they tie, at luminance 0.179), so any step passes
 * WCAG AA for normal text.
 */
const STOPS = [
  [240, 253, 250],
  [153, 246, 228],
  [45, 212, 191],
  [13, 148, 136],
  [17, 94, 89],
  [19, 78, 74],
];

export function heatColour(t: number): string {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  const c = a.map((v, k) => Math.round(v + (b[k]! - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export const HEAT_RANGE = STOPS.map((s) => `rgb(${s[0]}, ${s[1]}, ${s[2]})`);

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+/g) ?? ['0', '0', '0']).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function textOn(background: string): string {
  const l = luminance(background);
  const dark = (l + 0.05) / 0.05;
  const light = 1.05 / (l + 0.05);
  return dark >= light ? '#000000' : '#ffffff';
}
