import { Liquid, LiquidError, type TagToken } from 'liquidjs';
import { SegmintError } from '../../../domain/errors.js';

/**
 * Email and trait templates are Liquid (the template language of Shopify's own notifications):
 * `{{ traits.first_name | default: "there" }}`, `{% for p in event.properties.products %}…{% endfor %}`.
 * The HTML engine escapes every output (write `| raw` to opt out); the text engine does not. Templates
 * cannot include files and have render limits, so a template cannot read the server's disk or run away:
 * the tags that read a file (`include`, `render`, `layout`) are refused when the template is parsed, so
 * a workflow using one is refused when it is saved (docs/workflows.md), naming the tag.
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

/** Liquid's tags that read another template file; refused, as there are no files to read. */
const FILE_TAGS = ['include', 'render', 'layout'] as const;

function withFilters(engine: Liquid): Liquid {
  for (const name of FILE_TAGS) {
    engine.registerTag(name, {
      parse(token: TagToken) {
        throw new Error(`{% ${token.name} %} is not supported: templates cannot include files (write the text into the template)`);
      },
      render() {
        return '';
      },
    });
  }
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

/**
 * Renders a plain-text template (subject, from, text body, trait values). A template that cannot be
 * rendered (one saved before a rule refused it, or one over a render limit) is a user error
 * (`template_failed`, naming Liquid's reason and line), never an internal one.
 */
export async function renderText(template: string, data: object): Promise<string> {
  return rendered(() => textTemplates.parseAndRender(template, data));
}

/** Renders an HTML template, escaping every output (see renderText for the errors). */
export async function renderHtml(template: string, data: object): Promise<string> {
  return rendered(() => htmlTemplates.parseAndRender(template, data));
}

async function rendered(render: () => Promise<unknown>): Promise<string> {
  try {
    return String(await render());
  } catch (e) {
    if (!LiquidError.is(e)) throw e;
    throw new SegmintError('template_failed', `The template cannot be rendered: ${e.message.split('\n')[0]}.`);
  }
}
