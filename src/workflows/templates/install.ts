import { stringify } from 'yaml';
import { SegmintError } from '../../domain/errors.js';
import { createSegment } from '../../segments/manage/crud.js';
import type { Store } from '../../store/db.js';
import { segmentExists } from '../../store/queries/workflows/triggers.js';
import { createWorkflow, type WorkflowDetail } from '../manage/crud.js';
import { TEMPLATES, type WorkflowTemplate } from './catalog.js';

export interface TemplateInfo {
  name: string;
  description: string;
  params: { name: string; default: string; description: string }[];
}

export function listTemplates(): TemplateInfo[] {
  return TEMPLATES.map((t) => ({ name: t.name, description: t.description, params: Object.entries(t.params).map(([name, p]) => ({ name, ...p })) }));
}

export function findTemplate(name: string): WorkflowTemplate {
  const t = TEMPLATES.find((x) => x.name === name);
  if (!t) throw new SegmintError('unknown_template', `There is no template "${name}". Templates: ${TEMPLATES.map((x) => x.name).join(', ')}.`, { template: name }, 404);
  return t;
}

/** Reads `key=value` pairs (the --param flags) into parameters, refusing names the template does not have. */
export function parseParams(template: WorkflowTemplate, pairs: readonly string[] | Readonly<Record<string, string>>): Record<string, string> {
  const given: Record<string, string> = {};
  if (Array.isArray(pairs)) {
    for (const pair of pairs as readonly string[]) {
      const i = pair.indexOf('=');
      if (i <= 0) throw new SegmintError('invalid_param', `--param ${pair}: write key=value, e.g. delay=1h`, { param: pair });
      given[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
    }
  } else Object.assign(given, pairs);
  const out: Record<string, string> = {};
  for (const [k, p] of Object.entries(template.params)) out[k] = p.default;
  for (const [k, v] of Object.entries(given)) {
    if (!(k in template.params)) {
      throw new SegmintError('invalid_param', `The template ${template.name} has no parameter "${k}"; it takes ${Object.keys(template.params).join(', ')}.`, { param: k });
    }
    out[k] = v;
  }
  return out;
}

/** The definition document a template makes with these parameters (what `create --template` saves). */
export function templateDefinition(name: string, params: readonly string[] | Readonly<Record<string, string>>): Record<string, unknown> {
  const t = findTemplate(name);
  return t.build(parseParams(t, params));
}

/**
 * Saves a workflow made from a template. The segment a template triggers on (At Risk, Champions) is
 * made from its RFM group when the shop has no segment of that name yet.
 */
export async function installTemplate(
  store: Store,
  workflowName: string,
  templateName: string,
  params: readonly string[] | Readonly<Record<string, string>>,
  opts: { now?: Date; paused?: boolean } = {},
): Promise<WorkflowDetail & { createdSegment: string | null }> {
  const t = findTemplate(templateName);
  const p = parseParams(t, params);
  const definition = t.build(p);
  let createdSegment: string | null = null;
  const seg = t.segment?.(p);
  if (seg && !(await segmentExists(store, seg.name))) {
    await createSegment(store, { name: seg.name, definition: { query: seg.query }, description: `made by the ${t.name} workflow template` }, opts.now);
    createdSegment = seg.name;
  }
  const w = await createWorkflow(store, workflowName, { text: stringify(definition, { lineWidth: 0 }), origin: `template ${t.name}` }, { template: t.name, ...opts });
  return { ...w, createdSegment };
}
