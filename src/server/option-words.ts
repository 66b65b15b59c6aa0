import type { FastifyRequest } from 'fastify';
import type { SegmintError } from '../domain/errors.js';
import { unwrap } from './validation-message.js';

/** The names a route's schema part (a zod object, or an optional one: a body that may be left out) declares. */
function namesOf(schema: unknown): string[] {
  const shape = (unwrap(schema) as { shape?: unknown } | undefined)?.shape;
  return shape !== null && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** The API's error body: `{ error, message, details? }` (docs/api.md, "Errors"). */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/**
 * The answer body of a SegmintError to the request `req`: a client error (4xx) in the words of that
 * request, anything else as it is. The shared code (analytics, predictions) speaks to the command line
 * (`choose a later --as-of`), but the request sent `asOf`: each `--option` whose camelCase name is a
 * query parameter or body field of the route becomes `the "asOf" query parameter` / `the "asOf" field`
 * (optionsAsParameters; text in backticks, a command to run, is left as it is), and so do the details
 * (detailsIn). One function for the errors
 * a route answers (errors.ts answerError) and those a job it started ends with (jobs/queue.ts), so a
 * job's error never names a command-line flag to an API caller (trial 13, C1: "--k (k)"). The names the
 * route takes are read now: a job's error is worded after its request was answered.
 */
export function errorInRequestTerms(req: FastifyRequest): (err: SegmintError) => ErrorBody {
  const { query, body } = requestNames(req);
  return (err) => {
    const client = err.httpStatus < 500;
    const message = client ? optionsAsParameters(err.message, query, body) : err.message;
    const details = err.details && client ? detailsIn(err.details, query, body) : err.details;
    return { error: err.code, message, ...(details ? { details } : {}) };
  };
}

/** The query parameters and body fields this route declares. */
function requestNames(req: FastifyRequest): { query: ReadonlySet<string>; body: ReadonlySet<string> } {
  const schema = req.routeOptions.schema as { querystring?: unknown; body?: unknown } | undefined;
  return { query: new Set(namesOf(schema?.querystring)), body: new Set(namesOf(schema?.body)) };
}

/**
 * An error's `details` in the words of the HTTP request, as its message is (optionsAsParameters): the
 * shared code names the input at fault as `field` or `option`, in the command line's words (`--to`, `k`,
 * `asOf`), but an API answer names what the request sent the way a schema problem does (`query.to`,
 * `body.groups`; docs/api.md "Errors"). So `option` becomes `field`, and a name the route takes as a
 * query parameter (`query`) or body field (`body`), after `--date-format` → `dateFormat`, gets its
 * `query.`/`body.` prefix; any other name (a field inside a message, a column of a file) is kept as it
 * is. Returns a new object.
 */
function detailsIn(details: Readonly<Record<string, unknown>>, query: ReadonlySet<string>, body: ReadonlySet<string>): Record<string, unknown> {
  const named = details.field ?? details.option;
  if (typeof named !== 'string') return { ...details };
  const { option: _option, ...rest } = details;
  const camel = camelName(named.replace(/^--/, ''));
  const field = query.has(camel) ? `query.${camel}` : body.has(camel) ? `body.${camel}` : named;
  return { ...rest, field };
}

/**
 * `message` with each `--option` whose camelCase name (`--date-format` → `dateFormat`) is in `query`
 * or `body` written as `the "dateFormat" query parameter` / `the "dateFormat" field`; after an article
 * (`choose another --cutoff`, `a later --as-of`) as the value it stands for, with the request's word:
 * `another cutoff (the "cutoff" query parameter)`, `a later as-of (the "asOf" field)`. Text in backticks
 * (a command to run) and options in neither set are left as they are.
 */
export function optionsAsParameters(message: string, query: ReadonlySet<string>, body: ReadonlySet<string>): string {
  if (query.size === 0 && body.size === 0) return message;
  // Shared code that was given the request's own name starts its message with it (`asOf: "2025-13-01": …`).
  const lead = /^([a-z][A-Za-z0-9]*): /.exec(message)?.[1];
  if (lead && (query.has(lead) || body.has(lead))) message = `The "${lead}" ${query.has(lead) ? 'query parameter' : 'field'}: ${message.slice(lead.length + 2)}`;
  return message
    .split('`')
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/(?<![\w-])--([a-z][a-z0-9-]*)/g, (option, name: string, at: number, whole: string) => {
            const camel = camelName(name);
            const kind = query.has(camel) ? 'query parameter' : body.has(camel) ? 'field' : undefined;
            if (kind === undefined) return option;
            // "choose another --cutoff", "a longer --horizon": the option stands for a value, and an
            // article before it wants a noun, so the value is named and the request's word follows.
            return AFTER_ARTICLE.test(whole.slice(0, at)) ? `${name} (the "${camel}" ${kind})` : `the "${camel}" ${kind}`;
          }),
    )
    .join('`');
}

/**
 * Text ending in an article, with or without one adjective (`another `, `a `, `a later `, `an earlier `,
 * `any `, `no `): an option after it stands for a value (`choose a later --as-of`), not for the option.
 */
const AFTER_ARTICLE = /(?:^|[^\w-])(?:another|any|no|an?(?: [a-z]+)?) $/i;

/** A command-line option's name as the API spells it: `date-format` → `dateFormat`. */
function camelName(option: string): string {
  return option.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
