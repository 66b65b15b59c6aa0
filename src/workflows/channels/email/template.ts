import { Liquid } from 'liquidjs';

/**
 * Email and trait templates are Liquid (the template language of Shopify's own notifications):
 * `{{ traits.first_name | default: "there" }}`, `{% for p in event.properties.products %}…{% endfor %}`.
 * The HTML engine escapes every output (write `| raw` to opt out); the text engine does not. Templates
 * cannot include files (an empty in-memory file set) and have render limits, so a template cannot read
 * the server's disk or run away.
 */
const options = {
  templates: {} as Record<string, string>,
  cache: 200,
  parseLimit: 200_000,
  renderLimit: 2_000,
  memoryLimit: 10_000_000,
  // the date filter reads times in UTC, whatever the zone of the machine
  timezoneOffset: 0,
} as const;

function withFilters(engine: Liquid): Liquid {
  // `{{ 125.5 | money: "EUR" }}` → "€125.50". The locale is fixed so output never depends on the machine.
  engine.registerFilter('money', (v: unknown, currency: unknown = 'EUR') => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) return '';
    try {
      return new Intl.NumberFormat('en-GB', { style: 'currency', currency: String(currency) }).format(n);
    } catch {
      return `${n.toFixed(2)} ${String(currency)}`;
    }
  });
  return engine;
}

export const htmlTemplates = withFilters(new Liquid({ ...options, outputEscape: 'escape' }));
export const textTemplates = withFilters(new Liquid(options));

/** Undefined when the template parses, else the reason (with its line when Liquid gives one). */
export function templateProblem(text: string): string | undefined {
  try {
    textTemplates.parse(text);
    return undefined;
  } catch (e) {
    return `the template does not parse: ${(e as Error).message.split('\n')[0]}`;
  }
}

export async function renderText(template: string, data: object): Promise<string> {
  return String(await textTemplates.parseAndRender(template, data));
}

export async function renderHtml(template: string, data: object): Promise<string> {
  return String(await htmlTemplates.parseAndRender(template, data));
}
