import { describe, expect, it } from 'vitest';
import { normaliseIdentifier } from '../../src/domain/identifiers.js';
import { normaliseRequestedValue } from '../../src/privacy/suppression.js';

// Trial 13, M1: "zoë@example.com" typed as NFC (U+00EB) and as NFD (e + U+0308) is one address to the
// person who owns it, but segmint keeps them apart: an erased NFC address comes back in NFD as a new
// customer holding it, and an erasure typed in NFD matches nobody.
const NFC = 'zo\u00eb@example.com';
const NFD = 'zoe\u0308@example.com';

describe('an email in another Unicode normalisation form is the same email', () => {
  it('identities store one form', () => {
    expect(normaliseIdentifier('email', NFD)?.value).toBe(normaliseIdentifier('email', NFC)?.value);
  });
  it('an erasure request compares one form', () => {
    expect(normaliseRequestedValue(NFD)).toBe(normaliseRequestedValue(NFC));
  });
});
