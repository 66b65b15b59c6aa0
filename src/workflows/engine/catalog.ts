import type { Queryable } from '../../store/db.js';
import { allWorkflows, findVersion, type WorkflowRow } from '../../store/queries/workflows/definitions.js';
import { compileProgram, type Program } from '../definition/program.js';
import { validateDefinition } from '../definition/validate.js';

/** A workflow as the engine runs it: its row and the program of its current version. */
export interface LoadedWorkflow {
  readonly id: string;
  readonly name: string;
  readonly status: 'active' | 'paused';
  readonly version: number;
  readonly activeSince: Date;
  readonly program: Program;
}

/**
 * The workflows and their compiled versions. Reloaded from the store on every tick (one small query),
 * so a workflow created, edited or paused by the API or the CLI takes effect without a restart; each
 * version is compiled once (versions never change once saved).
 */
export class WorkflowCatalog {
  private list: LoadedWorkflow[] = [];
  private readonly programs = new Map<string, Program | null>();

  constructor(private readonly db: Queryable) {}

  async refresh(): Promise<void> {
    const rows = await allWorkflows(this.db);
    const out: LoadedWorkflow[] = [];
    for (const r of rows) {
      const program = await this.program(r.workflow_id, r.version);
      if (program) out.push(loaded(r, program));
    }
    this.list = out;
  }

  workflows(): readonly LoadedWorkflow[] {
    return this.list;
  }

  byId(id: string): LoadedWorkflow | undefined {
    return this.list.find((w) => w.id === id);
  }

  /** The program of a stored version, or undefined when it no longer validates (then its runs fail). */
  async program(workflowId: string, version: number): Promise<Program | undefined> {
    const key = `${workflowId}@${version}`;
    if (!this.programs.has(key)) {
      const row = await findVersion(this.db, workflowId, version);
      const r = row ? validateDefinition(JSON.parse(row.definition)) : undefined;
      this.programs.set(key, r && 'definition' in r ? compileProgram(r.definition) : null);
    }
    return this.programs.get(key) ?? undefined;
  }
}

function loaded(r: WorkflowRow, program: Program): LoadedWorkflow {
  return { id: r.workflow_id, name: r.name, status: r.status, version: r.version, activeSince: r.active_since, program };
}
