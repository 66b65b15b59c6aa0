import { MODEL } from '../params.js';
import { sampleExponential } from '../random/exponential.js';
import type { Life } from './life.js';

/**
 * The newsletter as the email tool reports it back: Email Delivered for every campaign sent after the
 * person subscribed (only with email consent), Email Opened for some, Email Link Clicked for a few opens.
 * openRate is the person's own propensity; after they stop buying (lapsedAt) they open far less.
 */
export function emailEngagement(life: Life, subscribedAt: number, openRate: number, lapsedAt: number): void {
  const d = life.d;
  const end = life.shop.endSec;
  for (const c of life.shop.campaigns) {
    if (c.sentAt <= subscribedAt) continue;
    const delivered = c.sentAt + d.int(0, 1800);
    const head = c.jsonHead;
    life.event('track', 'Email Delivered', delivered, `${head}}`, null, 0, true);
    const rate = delivered > lapsedAt ? openRate * 0.35 : openRate;
    if (!d.chance(rate)) continue;
    // Most opens come within hours; the mean wait is six hours.
    const opened = delivered + 60 + Math.floor(sampleExponential(d.rand, 1 / (6 * 3600)));
    if (opened >= end) continue;
    life.event('track', 'Email Opened', opened, `${head}}`, null, 0, true);
    if (!d.chance(MODEL.clickGivenOpen)) continue;
    const clicked = opened + d.int(5, 300);
    if (clicked >= end) continue;
    life.event('track', 'Email Link Clicked', clicked, `${head},"link_url":"https://shop.example.com/?utm_source=newsletter&utm_campaign=${c.id}"}`, null, 0, true);
  }
}
