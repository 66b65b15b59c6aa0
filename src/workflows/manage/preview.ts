import { randomUUID } from 'node:crypto';
import { settingValue } from '../../config/settings.js';
import { SegmintError } from '../../domain/errors.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import type { Store } from '../../store/db.js';
import { findVersion, findWorkflow } from '../../store/queries/workflows/definitions.js';
import { contactsOf, latestEventOf } from '../../store/queries/workflows/customers.js';
import { templateData, wantsRecommendations } from '../channels/email/data.js';
import { renderHtml, renderText } from '../channels/email/template.js';
import { unsubscribeLink } from '../channels/email/unsubscribe.js';
import { readObject } from '../definition/source.js';
import type { EmailStep } from '../definition/types.js';
import type { Run } from '../engine/run.js';
import { allSteps } from '../definition/steps.js';
import { workflowNotFound } from './crud.js';
import { localDate } from '../../domain/time-zone.js';
import { reportTimeZone } from '../../analytics/asOf.js';

export interface EmailPreview {
  workflow: string;
  step: string;
  customerId: string;
  to: string | null;
  from: string | null;
  subject: string;
  html: string | null;
  text: string | null;
  /** what the engine would decide for this customer now, if the email were due */
  consent: string | null;
}

/**
 * Renders an email step of a workflow for one customer, as the engine would send it now, without sending:
 * the triggering event is the customer's latest event of the trigger's name, when the workflow is
 * triggered by events (so an abandoned-cart preview shows that customer's last cart). `listening`: the
 * address of the server running the workflows, when there is one (the route's, or the server carrying
 * out the CLI command), so the unsubscribe link is the one the sends carry.
 */
export async function previewEmail(store: Store, name: string, customer: string, opts: { step?: string; now?: Date; listening?: string } = {}): Promise<EmailPreview> {
  const w = await findWorkflow(store, name);
  if (!w) throw workflowNotFound(name);
  const v = (await findVersion(store, w.workflow_id, w.version))!;
  const def = readObject(JSON.parse(v.definition), name).definition;
  const emails = allSteps(def.steps).filter((s): s is EmailStep => s.kind === 'email');
  if (emails.length === 0) throw new SegmintError('no_email_step', `Workflow "${name}" sends no email.`, { name });
  const step = opts.step === undefined ? emails[0]! : emails.find((s) => s.id === opts.step);
  if (!step) {
    throw new SegmintError('step_not_found', `Workflow "${name}" has no email step "${opts.step}"; its email steps: ${emails.map((s) => s.id).join(', ')}.`, { step: opts.step }, 404);
  }
  const customerId = await resolveCustomer(store, customer);
  const now = opts.now ?? new Date();
  const contact = (await contactsOf(store, [customerId])).get(customerId);
  const trigger = def.trigger;
  // The day a date trigger fires on is a day of the workspace time zone (triggers/dates.ts), so is the preview's.
  let triggerInfo: Run['context']['trigger'] = { kind: 'date', date: localDate(now, await reportTimeZone(store)) };
  if (trigger.kind === 'event') {
    const e = await latestEventOf(store, customerId, trigger.event);
    triggerInfo = e
      ? { kind: 'event', event: trigger.event, messageId: e.message_id, at: e.timestamp.toISOString(), properties: e.properties ? JSON.parse(e.properties) : {} }
      : { kind: 'event', event: trigger.event, messageId: 'preview', at: now.toISOString(), properties: {} };
  } else if (trigger.kind === 'segment') {
    triggerInfo = { kind: 'segment', segment: trigger.segment, change: trigger.change, at: now.toISOString() };
  } else if (trigger.kind === 'schedule') {
    triggerInfo = { kind: 'schedule', segment: trigger.segment, at: now.toISOString() };
  }
  const run: Run = {
    runId: `preview-${randomUUID()}`,
    workflowId: w.workflow_id,
    workflowName: w.name,
    version: w.version,
    customerId,
    runKey: trigger.kind === 'event' && trigger.key && triggerInfo.kind === 'event' ? String(triggerInfo.properties[trigger.key] ?? '') : '',
    triggerId: 'preview',
    context: { trigger: triggerInfo, holdout: false },
    status: 'active',
    phase: 'ready',
    position: step.id,
    wakeAt: now,
    waitEvent: null,
    stepStartedAt: now,
    enteredAt: now,
    updatedAt: now,
    endedAt: null,
    endReason: null,
    convertedAt: null,
  };
  // The preview's link is real (for this customer) but names no sent email; built as the sends build it.
  const base = { publicUrl: await settingValue(store, 'server.public_url'), listening: opts.listening };
  const link = await unsubscribeLink(store, base, { customerId, runId: run.runId, stepId: step.id }, now);
  const data = await templateData(store, run, { email: contact?.email ?? null, unsubscribeUrl: link, now, recommendations: wantsRecommendations(step.subject, step.html, step.text) });
  return {
    workflow: w.name,
    step: step.id,
    customerId,
    to: contact?.email ?? null,
    from: step.from !== undefined ? await renderText(step.from, data) : ((await settingValue(store, 'email.from')) ?? null),
    subject: (await renderText(step.subject, data)).replace(/\s+/g, ' ').trim(),
    html: step.html !== undefined ? await renderHtml(step.html, data) : null,
    text: step.text !== undefined ? await renderText(step.text, data) : null,
    consent: contact?.email_consent ?? null,
  };
}
