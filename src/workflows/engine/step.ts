import type { Store } from '../../store/db.js';
import type { ContactRow } from '../../store/queries/workflows/customers.js';
import { nextLocalTime } from '../../domain/time-zone.js';
import { decideEmail, type SkipReason } from '../channels/policy.js';
import { renderText } from '../channels/email/template.js';
import { after, before, formatDuration } from '../definition/duration.js';
import { entryOf, type Program, type ProgramStep } from '../definition/program.js';
import type { EmailStep, WaitEventStep, WebhookStep } from '../definition/types.js';
import { pickVariant, unitHash } from './assign.js';
import type { Changes } from './changes.js';
import { eventPasses, propertyText, type ConditionEvaluator } from './evaluate.js';
import { endRun, followRun, runStep, type Run } from './run.js';
import type { BatchReads } from './reads.js';
import type { EngineSettings } from './settings.js';

/** What executing steps needs, fixed for one batch. */
export interface StepContext {
  readonly store: Store;
  readonly now: Date;
  readonly settings: EngineSettings;
  readonly conditions: ConditionEvaluator;
  /** the batch's reads of the store, each made once for all its runs */
  readonly reads: BatchReads;
  /** marketing emails decided in this batch per customer, not yet in the store: the cap counts them too */
  readonly capUsed: Map<string, number>;
}

/** A run never takes more steps than this in one go (a definition is a tree, so this is a safety net). */
const MAX_STEPS = 1000;

/**
 * Moves a due run as far as it can go now: a wait that fell due ends (a wait for an event takes its
 * event branch if a matching event was stored in the meantime, else its timeout branch), then steps run
 * until the run waits, has an email or webhook to send (recorded as pending; the send happens after the
 * batch commits), or ends. A goal that holds ends the run as converted first.
 */
export async function advance(run: Run, program: Program, ctx: StepContext, ch: Changes): Promise<void> {
  ch.touch(run);
  const goal = program.definition.goal;
  if (goal && (await ctx.conditions.goalReached(run.customerId, goal, run.enteredAt, ctx.now))) {
    convert(run, ctx.now, ch);
    return;
  }
  if (run.phase === 'wait') await endWait(run, program, ctx, ch);
  const due = (): boolean => run.wakeAt === null || run.wakeAt.getTime() <= ctx.now.getTime();
  for (let n = 0; n < MAX_STEPS && run.status === 'active' && run.phase === 'ready' && due(); n++) {
    if (run.position === null) {
      endRun(run, 'completed', 'completed', ctx.now);
      ch.note(run, ctx.now, null, 'completed');
      return;
    }
    const step = program.steps.get(run.position);
    if (!step) {
      endRun(run, 'failed', `step ${run.position} is not in version ${run.version}`, ctx.now);
      ch.note(run, ctx.now, run.position, 'failed', run.endReason ?? undefined);
      return;
    }
    await execute(run, step, ctx, ch);
  }
}

export function convert(run: Run, at: Date, ch: Changes): void {
  ch.touch(run);
  endRun(run, 'converted', 'goal reached', at);
  ch.note(run, at, null, 'converted', 'goal reached');
}

/** Moves the run to a step (or past the end: null), ready to run it now. */
export function goTo(run: Run, position: string | null, now: Date): void {
  run.position = position;
  run.phase = 'ready';
  run.wakeAt = now;
  run.waitEvent = null;
  run.stepStartedAt = now;
  run.updatedAt = now;
}

async function endWait(run: Run, program: Program, ctx: StepContext, ch: Changes): Promise<void> {
  const step = run.position === null ? undefined : program.steps.get(run.position);
  if (!step) return;
  if (step.kind === 'wait_event') {
    const matched = await storedMatch(run, step, ctx.reads, ctx.now);
    ch.note(run, ctx.now, step.id, matched ? 'event' : 'timeout', matched ? `${step.event} (${matched})` : `no ${step.event} within ${formatDuration(step.timeout)}`);
    goTo(run, entryOf(matched ? step.onEvent : step.onTimeout, step), ctx.now);
    return;
  }
  ch.note(run, ctx.now, step.id, 'waited');
  goTo(run, step.next, ctx.now);
}

/**
 * A stored event the wait accepts (its message id), or undefined: same customer, the awaited name,
 * at or after the run's entry and up to `until`, the run's key in the wait's key property, the filter.
 */
export async function storedMatch(run: Run, step: WaitEventStep, reads: BatchReads, until: Date): Promise<string | undefined> {
  if (step.key !== undefined && run.runKey === '') return undefined;
  const candidates = await reads.waitCandidates(run, step, until);
  const hit = candidates.find((e) => eventPasses({ name: e.event, timestamp: e.timestamp, properties: e.properties === null ? {} : JSON.parse(e.properties) }, step.where));
  return hit?.message_id;
}

/** Whether a just-stored event is the one a waiting run waits for. */
export function eventMatchesWait(run: Run, step: WaitEventStep, e: { name: string; timestamp: Date; properties: unknown }): boolean {
  if (e.name !== step.event || e.timestamp.getTime() < run.enteredAt.getTime()) return false;
  if (step.key !== undefined && (run.runKey === '' || propertyText(e.properties, step.key) !== run.runKey)) return false;
  return eventPasses(e, step.where);
}

async function execute(run: Run, step: ProgramStep, ctx: StepContext, ch: Changes): Promise<void> {
  const now = ctx.now;
  switch (step.kind) {
    case 'wait':
      return wait(run, step.id, after(now, step.duration), null, now, ch);
    case 'wait_until': {
      const until = nextLocalTime(now, step.at, ctx.settings.timeZone, step.weekdays ? new Set(step.weekdays) : undefined);
      return wait(run, step.id, until, null, now, ch);
    }
    case 'wait_event': {
      const matched = await storedMatch(run, step, ctx.reads, now);
      if (matched) {
        ch.note(run, now, step.id, 'event', `${step.event} (${matched})`);
        return goTo(run, entryOf(step.onEvent, step), now);
      }
      return wait(run, step.id, after(now, step.timeout), step.event, now, ch);
    }
    case 'branch': {
      const yes = await ctx.conditions.holds(run.customerId, step.condition, now);
      ch.note(run, now, step.id, 'branch', `${yes ? 'then' : 'else'}: ${step.condition.text}`);
      return goTo(run, entryOf(yes ? step.then : step.else, step), now);
    }
    case 'split': {
      const variant = pickVariant(step.variants, unitHash(run.workflowId, step.id, run.customerId));
      ch.assignments.push({ ...runStep(run, step.id), variant: variant.name, assigned_at: now });
      ch.note(run, now, step.id, 'split', variant.name);
      return goTo(run, entryOf(variant.steps, step), now);
    }
    case 'email':
      return email(run, step, ctx, ch);
    case 'webhook':
      return webhook(run, step, ctx, ch);
    case 'set_trait': {
      const values: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(step.traits)) values[k] = typeof v === 'string' ? await renderText(v, traitData(run, now)) : v;
      ch.setTraits(run.customerId, values);
      ch.note(run, now, step.id, 'set_trait', Object.keys(values).join(', '));
      return goTo(run, step.next, now);
    }
    case 'tag':
    case 'list': {
      const source = `workflow:${run.workflowName}`;
      for (const name of step.add) (step.kind === 'tag' ? ch.tagsAdded : ch.listsAdded).push({ customerId: run.customerId, name, source });
      for (const name of step.remove) (step.kind === 'tag' ? ch.tagsRemoved : ch.listsRemoved).push({ customerId: run.customerId, name, source });
      ch.note(run, now, step.id, step.kind, [...step.add.map((n) => `+${n}`), ...step.remove.map((n) => `-${n}`)].join(' '));
      return goTo(run, step.next, now);
    }
    case 'exit':
      endRun(run, 'exited', step.reason, now);
      ch.note(run, now, step.id, 'exited', step.reason);
      return;
  }
}

function wait(run: Run, stepId: string, until: Date, event: string | null, now: Date, ch: Changes): void {
  run.phase = 'wait';
  run.wakeAt = until;
  run.waitEvent = event;
  run.stepStartedAt = now;
  run.updatedAt = now;
  ch.note(run, now, stepId, 'wait', `${event ? `for ${event}, ` : ''}until ${until.toISOString()}`);
}

/** Variables a set_trait value can use: the moment, the run, the triggering event's properties. */
function traitData(run: Run, now: Date): object {
  const t = run.context.trigger;
  return { now: now.toISOString(), workflow: { name: run.workflowName }, run: { id: run.runId, key: run.runKey }, event: t.kind === 'event' ? { name: t.event, properties: t.properties } : null };
}

async function email(run: Run, step: EmailStep & ProgramStep, ctx: StepContext, ch: Changes): Promise<void> {
  const now = ctx.now;
  const contact = await contactNow(run, ctx);
  let sentRecently = ctx.capUsed.get(run.customerId) ?? 0;
  if (!step.transactional && ctx.settings.frequencyCap) {
    const since = before(now, ctx.settings.frequencyCap.per);
    sentRecently += await ctx.reads.marketingEmailsSince(run.customerId, since);
  }
  const d = decideEmail({ holdout: run.context.holdout, contact, transactional: step.transactional, sentRecently, now }, ctx.settings);
  if (d.action === 'defer') {
    run.wakeAt = d.until;
    run.updatedAt = now;
    ch.note(run, now, step.id, 'deferred', `quiet hours until ${d.until.toISOString()}`);
    // Still ready at this step: it runs again (all rules checked again) when quiet hours end.
    run.phase = 'ready';
    return;
  }
  if (d.action === 'skip' || !(step.from ?? ctx.settings.from)) {
    const reason: SkipReason = d.action === 'skip' ? d.reason : 'no_sender';
    return skip(run, step, 'email', !step.transactional, reason, contact?.email ?? null, ctx, ch);
  }
  if (!step.transactional) ctx.capUsed.set(run.customerId, (ctx.capUsed.get(run.customerId) ?? 0) + 1);
  pending(run, step, 'email', !step.transactional, d.to, ctx, ch);
}

/**
 * The contact of the run's customer; when the batch's read finds none, the customer may have been merged
 * into another after the batch read its runs (the merge moved the run's row, not this copy): the run
 * follows to the survivor (followRun) and reads its contact. Undefined: no one is held (erased).
 */
async function contactNow(run: Run, ctx: StepContext): Promise<ContactRow | undefined> {
  const contact = await ctx.reads.contact(run.customerId);
  if (contact) return contact;
  const before = run.customerId;
  if (!(await followRun(ctx.store, run)) || run.customerId === before) return undefined;
  return ctx.reads.contact(run.customerId);
}

async function webhook(run: Run, step: WebhookStep & ProgramStep, ctx: StepContext, ch: Changes): Promise<void> {
  if (run.context.holdout) return skip(run, step, 'webhook', false, 'holdout', step.url, ctx, ch);
  if (!(step.secret ?? ctx.settings.webhookSecret)) return skip(run, step, 'webhook', false, 'no_webhook_secret', step.url, ctx, ch);
  pending(run, step, 'webhook', false, step.url, ctx, ch);
}

function skip(
  run: Run,
  step: ProgramStep,
  channel: 'email' | 'webhook',
  marketing: boolean,
  reason: SkipReason,
  recipient: string | null,
  ctx: StepContext,
  ch: Changes,
): void {
  ch.sends.push(sendRow(run, step, channel, marketing, 'skipped', reason, recipient, ctx.now));
  ch.note(run, ctx.now, step.id, `${channel} skipped`, reason);
  goTo(run, step.next, ctx.now);
}

function pending(run: Run, step: ProgramStep, channel: 'email' | 'webhook', marketing: boolean, recipient: string, ctx: StepContext, ch: Changes): void {
  ch.sends.push(sendRow(run, step, channel, marketing, 'pending', null, recipient, ctx.now));
  run.phase = 'send';
  run.wakeAt = ctx.now;
  run.stepStartedAt = ctx.now;
  run.updatedAt = ctx.now;
}

/** The key every attempt of one (run, step) carries: the email's Message-ID, the webhook's Idempotency-Key. */
export function idempotencyKey(runId: string, stepId: string): string {
  return `${runId}.${stepId}`;
}

function sendRow(
  run: Run,
  step: ProgramStep,
  channel: 'email' | 'webhook',
  marketing: boolean,
  status: 'pending' | 'skipped',
  reason: string | null,
  recipient: string | null,
  now: Date,
) {
  return {
    ...runStep(run, step.id),
    channel,
    marketing,
    status,
    reason,
    recipient,
    subject: null,
    idempotency_key: idempotencyKey(run.runId, step.id),
    attempts: 0,
    last_error: null,
    created_at: now,
    updated_at: now,
    sent_at: null,
  };
}
