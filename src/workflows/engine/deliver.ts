import type { Store } from '../../store/db.js';
import type { TablesOf } from '../../store/queries/segment-state.js';
import { contactsOf, type ContactRow } from '../../store/queries/workflows/customers.js';
import { findSendHeld, startAttempt, type SendRow } from '../../store/queries/workflows/sends.js';
import { SendFailure, type SmtpMailer } from '../channels/email/smtp.js';
import { templateData, wantsRecommendations } from '../channels/email/data.js';
import { renderHtml, renderText } from '../channels/email/template.js';
import { unsubscribeLink, type SecretOf } from '../channels/email/unsubscribe.js';
import { sendWorkflowWebhook } from '../channels/webhook.js';
import type { Program, ProgramStep } from '../definition/program.js';
import type { EmailStep, WebhookStep } from '../definition/types.js';
import { Changes } from './changes.js';
import { goTo, idempotencyKey } from './step.js';
import { endRun, followRun, type Run } from './run.js';
import type { EngineSettings } from './settings.js';

/** Delays before the 2nd, 3rd, … attempt of a send that failed in a way worth retrying; then it has failed. */
export const RETRY_DELAYS_MS: readonly number[] = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];

export interface DeliverContext {
  readonly store: Store;
  readonly now: Date;
  readonly settings: EngineSettings;
  readonly mailer: SmtpMailer;
  /** the address unsubscribe links point at when server.public_url is not set */
  readonly publicUrl: string | undefined;
  /** which tables exist, read once for the emails of one pass over what is due (existingTablesOnce) */
  readonly tables?: TablesOf;
  /** the key unsubscribe links are signed with, read once by the engine for all its emails (unsubscribeSecretOnce) */
  readonly unsubscribeSecret?: SecretOf;
}

/**
 * Attempts the pending send of a run (phase `send`). The send row was committed as pending before this
 * runs, so a crash between the attempt and recording its outcome leaves it pending, and the restart
 * attempts it again with the same Message-ID / Idempotency-Key (at most once per (run, step) unless the
 * receiver never acknowledged). Success moves the run on; a failure worth retrying waits its turn in
 * RETRY_DELAYS_MS; any other failure, or the last, is recorded as failed and the run moves on.
 */
export async function deliver(run: Run, program: Program, ctx: DeliverContext): Promise<void> {
  const ch = new Changes();
  ch.touch(run);
  const step = run.position === null ? undefined : program.steps.get(run.position);
  // The send row and the customer holding the run's person now, in one read (findSendHeld).
  const { send, heldBy } = step ? await findSendHeld(ctx.store, run.runId, step.id, run.customerId) : { send: undefined, heldBy: undefined };
  if (!step || (step.kind !== 'email' && step.kind !== 'webhook') || !send) {
    endRun(run, 'failed', `no pending send at step ${run.position ?? '(end)'}`, ctx.now);
    ch.note(run, ctx.now, run.position, 'failed', run.endReason ?? undefined);
    return ch.flush(ctx.store, ctx.now);
  }
  if (send.status !== 'pending') {
    goTo(run, step.next, ctx.now);
    return ch.flush(ctx.store, ctx.now);
  }
  // The send was decided for the customer of that moment: one merged into another since goes to the
  // survivor; one no longer held (erased) is skipped as customer_missing, and nothing is attempted.
  // (followRun, with the survivor read with the send row above.)
  if (heldBy === undefined) {
    ch.attempts.push({ runId: run.runId, stepId: step.id, status: 'skipped', reason: 'customer_missing', error: null, at: ctx.now });
    ch.note(run, ctx.now, step.id, `${step.kind} skipped`, 'customer_missing');
    goTo(run, step.next, ctx.now);
    return ch.flush(ctx.store, ctx.now);
  }
  run.customerId = heldBy;
  const attempts = await startAttempt(ctx.store, run.runId, step.id, ctx.now);
  let outcome: { ok: true; detail: string; subject: string | null } | { ok: false; failure: SendFailure };
  try {
    outcome = step.kind === 'email' ? await sendEmail(run, step, send, ctx) : await sendWebhook(run, step, ctx);
  } catch (e) {
    if (!(e instanceof SendFailure)) throw e;
    outcome = { ok: false, failure: e };
  }
  if (outcome.ok) {
    ch.attempts.push({ runId: run.runId, stepId: step.id, status: 'sent', error: null, subject: outcome.subject, at: ctx.now });
    ch.note(run, ctx.now, step.id, `${step.kind} sent`, `${send.recipient ?? ''} ${outcome.detail}`.trim());
    goTo(run, step.next, ctx.now);
  } else {
    const last = outcome.failure.permanent || attempts > RETRY_DELAYS_MS.length;
    ch.attempts.push({ runId: run.runId, stepId: step.id, status: last ? 'failed' : 'pending', error: outcome.failure.message, at: ctx.now });
    ch.note(run, ctx.now, step.id, last ? `${step.kind} failed` : `${step.kind} retry`, outcome.failure.message);
    if (last) goTo(run, step.next, ctx.now);
    else {
      run.wakeAt = new Date(ctx.now.getTime() + RETRY_DELAYS_MS[attempts - 1]!);
      run.updatedAt = ctx.now;
    }
  }
  await ch.flush(ctx.store, ctx.now);
}

/**
 * The run's customer as the store holds them now. followRun ran just before, but a merge may commit
 * between its read and this one (live ingestion does not wait for the engine): then the merge is followed
 * again, a few times, so that a person who just logged in still gets the send (trial 10, M2). Only a
 * customer no longer held by anyone fails the send.
 */
async function stillHeld(ctx: DeliverContext, run: Run): Promise<ContactRow> {
  for (let hops = 0; hops < 3; hops++) {
    const contact = (await contactsOf(ctx.store, [run.customerId])).get(run.customerId);
    if (contact) return contact;
    if (!(await followRun(ctx.store, run))) break;
  }
  throw new SendFailure(`customer ${run.customerId} is no longer in the store`, true);
}

async function sendEmail(
  run: Run,
  step: EmailStep & ProgramStep,
  send: SendRow,
  ctx: DeliverContext,
): Promise<{ ok: true; detail: string; subject: string | null }> {
  const contact = await stillHeld(ctx, run);
  // Consent can change between the decision and a retry hours later: a withdrawal stops the send.
  if (!step.transactional && contact?.email_consent !== 'granted') throw new SendFailure('email consent is no longer granted', true);
  const smtpUrl = ctx.settings.smtpUrl;
  if (!smtpUrl) throw new SendFailure('smtp.url is not set', false);
  const link = await unsubscribeLink(
    ctx.store,
    { publicUrl: ctx.settings.publicUrl, listening: ctx.publicUrl },
    { customerId: run.customerId, runId: run.runId, stepId: step.id },
    ctx.now,
    ...(ctx.unsubscribeSecret ? [ctx.unsubscribeSecret] : []),
  );
  const data = await templateData(ctx.store, run, {
    email: contact?.email ?? send.recipient,
    unsubscribeUrl: link,
    now: ctx.now,
    recommendations: wantsRecommendations(step.subject, step.html, step.text),
    ...(ctx.tables ? { tables: ctx.tables } : {}),
  });
  const subject = (await renderText(step.subject, data)).replace(/\s+/g, ' ').trim();
  const key = idempotencyKey(run.runId, step.id);
  const response = await ctx.mailer.send(smtpUrl, {
    from: await renderText(step.from ?? ctx.settings.from ?? '', data),
    to: send.recipient ?? contact?.email ?? '',
    ...(step.replyTo ? { replyTo: await renderText(step.replyTo, data) } : {}),
    subject,
    ...(step.html !== undefined ? { html: await renderHtml(step.html, data) } : {}),
    ...(step.text !== undefined ? { text: await renderText(step.text, data) } : {}),
    messageId: `${key}@segmint`,
    headers: {
      'List-Unsubscribe': `<${link}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Segmint-Workflow': run.workflowName,
      'X-Segmint-Idempotency-Key': key,
    },
  });
  return { ok: true, detail: response, subject };
}

async function sendWebhook(run: Run, step: WebhookStep & ProgramStep, ctx: DeliverContext): Promise<{ ok: true; detail: string; subject: null }> {
  const secret = step.secret ?? ctx.settings.webhookSecret;
  if (!secret) throw new SendFailure('no signing secret: set webhook.secret or the step\'s secret', true);
  const contact = await stillHeld(ctx, run);
  const key = idempotencyKey(run.runId, step.id);
  const body = JSON.stringify({
    id: key,
    type: 'workflow.step',
    workflow: { name: run.workflowName, version: run.version },
    step: step.id,
    run: { id: run.runId, key: run.runKey, entered_at: run.enteredAt.toISOString() },
    customer: { id: run.customerId, email: contact?.email ?? null, traits: contact?.traits ? (JSON.parse(contact.traits) as unknown) : {} },
    trigger: run.context.trigger,
    holdout: run.context.holdout,
    sent_at: ctx.now.toISOString(),
  });
  const detail = await sendWorkflowWebhook({ url: step.url, body, secret, idempotencyKey: key, headers: step.headers, now: ctx.now });
  return { ok: true, detail, subject: null };
}
