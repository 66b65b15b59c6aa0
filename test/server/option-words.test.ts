import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optionsAsParameters } from '../../src/server/option-words.js';

/**
 * Trial 10, C8: "Choose another the "cutoff" query parameter": the shared code's `another --cutoff`
 * with the request's word put in place of the option. After an article the option stands for a value,
 * so the answer names the value and then the request's word.
 */
const ARTICLE_THEN_OPTION = /\b(?:another|any|no|an?(?: [a-z]+)?) --([a-z][a-z0-9-]*)/gi;
const GARBLED = /\b(?:another|any|no|an?(?: [a-z]+)?) the "/i;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('command-line options in the words of a request', () => {
  it('reads as a sentence after "another", "a longer", "an earlier" (the trial’s messages)', () => {
    const q = new Set(['cutoff', 'horizon', 'split', 'asOf']);
    expect(optionsAsParameters('Choose another --cutoff or a longer --horizon.', q, new Set())).toBe(
      'Choose another cutoff (the "cutoff" query parameter) or a longer horizon (the "horizon" query parameter).',
    );
    expect(optionsAsParameters('No customer has an order after the split; choose an earlier --split.', q, new Set())).toBe(
      'No customer has an order after the split; choose an earlier split (the "split" query parameter).',
    );
    expect(optionsAsParameters('nothing to score; choose a later --as-of.', new Set(), new Set(['asOf']))).toBe('nothing to score; choose a later as-of (the "asOf" field).');
    // not after an article: the option itself is named, as before
    expect(optionsAsParameters('--cutoff must be before --as-of; run `segmint clv fit --as-of X`', q, new Set())).toBe(
      'the "cutoff" query parameter must be before the "asOf" query parameter; run `segmint clv fit --as-of X`',
    );
    expect(optionsAsParameters('or lower --offset.', new Set(['offset']), new Set())).toBe('or lower the "offset" query parameter.');
  });

  it('no message of the code with an option after an article is garbled, whichever option a route takes', () => {
    const found: string[] = [];
    for (const file of sources('src')) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (/^\s*(\*|\/\/)/.test(line)) continue;
        for (const m of line.matchAll(ARTICLE_THEN_OPTION)) found.push(m[0]);
      }
    }
    expect(found.length).toBeGreaterThanOrEqual(8);
    for (const text of found) {
      const name = /--([a-z][a-z0-9-]*)$/.exec(text)![1]!;
      const camel = name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
      for (const [query, body] of [[new Set([camel]), new Set<string>()], [new Set<string>(), new Set([camel])]] as const) {
        const out = optionsAsParameters(text, query, body);
        expect(out, text).not.toMatch(GARBLED);
        expect(out, text).toContain(`${name} (the "${camel}" `);
      }
    }
  });
});
