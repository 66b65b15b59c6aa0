/**
 * An API message in the dashboard's words (docs/dashboard.md, "Errors and empty states"). The API
 * speaks to programs and the command line: it names a request's field (`The "asOf" field: …`) and may
 * advise a command (`use \`segments update\``), but a shop owner on a page sees labelled inputs and
 * buttons, and has no terminal open.
 */

/**
 * Advice to run a command, with what the dashboard offers instead: the text replaced (a backticked
 * command and the words that bring it in) and the replacement. Kept short: only advice that an answer
 * to a dashboard request can carry.
 */
const ADVICE: readonly (readonly [RegExp, string])[] = [
  // 409 segment_exists, on saving a new segment under a name in use
  [/;\s*use `(?:segmint )?segments update`\.?$/, '; choose another name, or open that segment under Segments to change it.'],
];

/**
 * `message` with command-line advice replaced by the dashboard's action (ADVICE), and each request
 * field named by the label of its input: `labels` maps a field (`asOf`) to the label the page shows
 * (`Count as of`). A message that starts with the field (`The "asOf" field: not a date`) starts with
 * the label (`Count as of: not a date`); elsewhere the field becomes the label in quotes. Fields
 * without a label are left as the API wrote them.
 */
export function inDashboardWords(message: string, labels: Readonly<Record<string, string>> = {}): string {
  let out = message;
  for (const [advice, action] of ADVICE) out = out.replace(advice, action);
  const field = /([Tt])he "([A-Za-z][A-Za-z0-9]*)" (?:field|query parameter)/g;
  return out.replace(field, (whole: string, t: string, name: string, at: number) => {
    const label = labels[name];
    if (label === undefined) return whole;
    return at === 0 && t === 'T' ? label : `“${label}”`;
  });
}
