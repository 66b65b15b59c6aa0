import { randomUUID } from 'node:crypto';
import { settingValue } from '../../config/settings.js';
import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { triggerOutcomes } from '../../store/queries/workflows/bookkeeping.js';
import {
  allWorkflows,
  deleteWorkflowRows,
  findVersion,
  findWorkflow,
  insertVersion,
  insertWorkflow,
  listVersions,
  setWorkflowStatus,
  setWorkflowVersion,
  workflowCounts,
  type WorkflowCounts,
  type WorkflowRow,
} from '../../store/queries/workflows/definitions.js';
import { cancelRuns } from '../../store/queries/workflows/runs.js';
import { skipReasons } from '../../store/queries/workflows/sends.js';
import { segmentExists } from '../../store/queries/workflows/triggers.js';
import { readObject, readSource, type ParsedSource } from '../definition/source.js';
import { allSteps } from '../definition/steps.js';
import type { WorkflowDefinition } from '../definition/types.js';
import { recordWorkflowMeasures } from '../measure.js';
import { describeTrigger } from './describe.js';

/** A definition as handed over: text (JSON or YAML, from a file or a request) or an already-parsed object. */
export type WorkflowInput = { readonly text: string; readonly origin?: string } | { readonly object: unknown; readonly origin?: string };

export interface WorkflowSummary {
  id: string;
  name: string;
  status: 'active' | 'paused';
  version: number;
  template: string | null;
  description: string | null;
  trigger: string;
  createdAt: Date;
  updatedAt: Date;
  activeSince: Date;
  runs: { active: number; total: number; converted: number };
  messages: { sent: number; skipped: number };
}

export interface WorkflowDetail extends WorkflowSummary {
  /** the definition as written (JSON or YAML), secrets masked */
  source: string;
  format: string;
  definition: unknown;
  versions: { version: number; createdAt: Date }[];
  triggers: { outcome: string; n: number }[];
  skipped: { reason: string; n: number }[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;

export function checkWorkflowName(name: string): string {
  const n = name.trim();
  if (!NAME.test(n)) {
    throw new SegmintError('invalid_workflow_name', `"${name}" is not a workflow name: up to 100 letters, digits, spaces, _ . and -, starting with a letter or digit.`, {
      field: 'name',
    });
  }
  return n;
}

export function workflowNotFound(name: string): SegmintError {
  return new SegmintError('workflow_not_found', `There is no workflow named "${name}"; \`segmint workflows list\` shows them.`, { name }, 404);
}

function parse(input: WorkflowInput): ParsedSource {
  return 'text' in input ? readSource(input.text, input.origin) : readObject(input.object, input.origin);
}

/** Checks what the store must hold for the definition to run: its segments, a webhook signing key. */
async function checkAgainstStore(store: Store, def: WorkflowDefinition, origin: string): Promise<void> {
  const t = def.trigger;
  const segment = t.kind === 'segment' || t.kind === 'schedule' ? t.segment : undefined;
  if (segment !== undefined && !(await segmentExists(store, segment))) {
    throw new SegmintError('workflow_invalid', `${origin}: trigger: there is no segment named "${segment}"; create it first (segmint segments create).`, {
      field: 'trigger',
    });
  }
  const hooks = allSteps(def.steps).filter((s) => s.kind === 'webhook' && s.secret === undefined);
  if (hooks.length > 0 && !(await settingValue(store, 'webhook.secret'))) {
    throw new SegmintError(
      'workflow_invalid',
      `${origin}: step "${hooks[0]!.id}": a webhook is signed; give it a secret, or set one for all: segmint config set webhook.secret VALUE`,
      { step: hooks[0]!.id, field: 'webhook.secret' },
    );
  }
}

/** Saves a new workflow (version 1, active unless `paused`). Triggers from before now are not acted on. */
export async function createWorkflow(
  store: Store,
  name: string,
  input: WorkflowInput,
  opts: { now?: Date; template?: string; paused?: boolean } = {},
): Promise<WorkflowDetail> {
  const n = checkWorkflowName(name);
  const parsed = parse(input);
  await checkAgainstStore(store, parsed.definition, input.origin ?? 'definition');
  const now = opts.now ?? new Date();
  await store.transaction(async (tx) => {
    if (await findWorkflow(tx, n)) throw new SegmintError('workflow_exists', `A workflow named "${n}" already exists; use \`workflows update\`.`, { name: n }, 409);
    const id = randomUUID();
    const row: WorkflowRow = { workflow_id: id, name: n, status: opts.paused ? 'paused' : 'active', version: 1, template: opts.template ?? null, active_since: now, created_at: now, updated_at: now };
    await insertWorkflow(tx, row);
    await insertVersion(tx, { workflow_id: id, version: 1, definition: JSON.stringify(parsed.raw), source: parsed.source, format: parsed.format, created_at: now });
    await recordWorkflowMeasures(tx, { id, name: n, definition: parsed.definition }, now);
  });
  return getWorkflow(store, n);
}

/** Saves a new version; runs under way stay on the version they started with, new runs take this one. */
export async function updateWorkflow(store: Store, name: string, input: WorkflowInput, now = new Date()): Promise<WorkflowDetail> {
  const parsed = parse(input);
  await checkAgainstStore(store, parsed.definition, input.origin ?? 'definition');
  await store.transaction(async (tx) => {
    const w = await findWorkflow(tx, name);
    if (!w) throw workflowNotFound(name);
    const version = w.version + 1;
    await insertVersion(tx, { workflow_id: w.workflow_id, version, definition: JSON.stringify(parsed.raw), source: parsed.source, format: parsed.format, created_at: now });
    await setWorkflowVersion(tx, w.workflow_id, version, now);
    await recordWorkflowMeasures(tx, { id: w.workflow_id, name: w.name, definition: parsed.definition }, now);
  });
  return getWorkflow(store, name);
}

/** Stops starting and moving runs (they keep their place); resume picks them up again. */
export async function pauseWorkflow(store: Store, name: string, now = new Date()): Promise<WorkflowDetail> {
  const w = await findWorkflow(store, name);
  if (!w) throw workflowNotFound(name);
  if (w.status !== 'paused') await setWorkflowStatus(store, w.workflow_id, 'paused', now);
  return getWorkflow(store, name);
}

/**
 * Starts acting again. Waits that fell due while paused run now; triggers that happened while paused
 * are not acted on (active_since moves to now).
 */
export async function resumeWorkflow(store: Store, name: string, now = new Date()): Promise<WorkflowDetail> {
  const w = await findWorkflow(store, name);
  if (!w) throw workflowNotFound(name);
  if (w.status !== 'active') await setWorkflowStatus(store, w.workflow_id, 'active', now, now);
  return getWorkflow(store, name);
}

/** Deletes a workflow: its active runs are cancelled; runs, sends and assignments stay as history. */
export async function deleteWorkflow(store: Store, name: string, now = new Date()): Promise<{ deleted: string; cancelledRuns: number }> {
  return store.transaction(async (tx) => {
    const w = await findWorkflow(tx, name);
    if (!w) throw workflowNotFound(name);
    const cancelled = await cancelRuns(tx, w.workflow_id, now, 'workflow deleted');
    await deleteWorkflowRows(tx, w.workflow_id);
    return { deleted: name, cancelledRuns: cancelled };
  });
}

export async function listWorkflows(store: Store): Promise<WorkflowSummary[]> {
  const counts = await workflowCounts(store);
  const out: WorkflowSummary[] = [];
  for (const w of await allWorkflows(store)) out.push(await summary(store, w, counts.get(w.workflow_id)));
  return out;
}

/** One workflow with its definition (the current version, or `version`), versions and outcomes. */
export async function getWorkflow(store: Store, name: string, version?: number): Promise<WorkflowDetail> {
  const w = await findWorkflow(store, name);
  if (!w) throw workflowNotFound(name);
  const v = await findVersion(store, w.workflow_id, version ?? w.version);
  if (!v) throw new SegmintError('workflow_version_not_found', `Workflow "${name}" has no version ${version}.`, { name, version }, 404);
  const counts = (await workflowCounts(store)).get(w.workflow_id);
  return {
    ...(await summary(store, w, counts, v.definition)),
    source: maskSecrets(v.source, JSON.parse(v.definition)),
    format: v.format,
    definition: maskDefinition(JSON.parse(v.definition)),
    versions: (await listVersions(store, w.workflow_id)).map((x) => ({ version: x.version, createdAt: x.created_at })),
    triggers: await triggerOutcomes(store, w.workflow_id),
    skipped: await skipReasons(store, w.workflow_id),
  };
}

async function summary(store: Store, w: WorkflowRow, c: WorkflowCounts | undefined, definitionJson?: string): Promise<WorkflowSummary> {
  const json = definitionJson ?? (await findVersion(store, w.workflow_id, w.version))?.definition ?? '{}';
  const raw = JSON.parse(json) as { description?: string };
  const r = readObject(raw, w.name);
  return {
    id: w.workflow_id,
    name: w.name,
    status: w.status,
    version: w.version,
    template: w.template,
    description: raw.description ?? null,
    trigger: describeTrigger(r.definition.trigger),
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    activeSince: w.active_since,
    runs: { active: c?.active ?? 0, total: c?.total ?? 0, converted: c?.converted ?? 0 },
    messages: { sent: c?.sent ?? 0, skipped: c?.skipped ?? 0 },
  };
}

/** Webhook secrets never leave the store: every secret of the definition is shown as *** in its text. */
export function maskSecrets(source: string, definition: unknown): string {
  let out = source;
  for (const secret of secretsOf(definition)) out = out.split(secret).join('***');
  return out;
}

function secretsOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(secretsOf);
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => (k === 'secret' && typeof x === 'string' && x !== '' ? [x] : secretsOf(x)));
}

function maskDefinition(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskDefinition);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'secret' && typeof x === 'string' ? '***' : maskDefinition(x);
  return out;
}
