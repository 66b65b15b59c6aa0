import type { FastifyReply } from 'fastify';

/** What consent left out of a file of contact details (ExportSummary, AssignmentsSummary). */
export interface ConsentCounts {
  /** the channels whose consent decided who is in the file, joined by `+`, or `none` */
  readonly channel: string;
  /** left out: they denied consent for the channel */
  readonly denied: number;
  /** left out: no consent decision recorded for the channel */
  readonly withoutConsent: number;
}

/**
 * Answers a CSV file of contact details (a segment export, an experiment's assignments) with whom
 * consent left out beside it, in headers, never in the file: `x-segmint-consent-channel`,
 * `x-segmint-left-out-denied`, `x-segmint-left-out-no-consent`, and `x-segmint-summary`, the line the
 * CLI prints on standard error for the same file (`summary`: exportSummaryLine, assignmentsSummaryLine),
 * so the dashboard says it in the same words (docs/api.md). The line is made of counts and channel
 * names, so it is ASCII as a header must be; anything else is escaped as \uXXXX.
 */
export function sendConsentCsv(reply: FastifyReply, csv: string, counts: ConsentCounts, summary: string): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('x-segmint-consent-channel', counts.channel)
    .header('x-segmint-left-out-denied', String(counts.denied))
    .header('x-segmint-left-out-no-consent', String(counts.withoutConsent))
    .header('x-segmint-summary', summary.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
    .send(csv);
}
