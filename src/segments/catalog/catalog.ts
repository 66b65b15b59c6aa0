import { validateFieldDef, type FieldDef } from './field.js';
import { metricFields } from './metrics.js';

/** The fields segments can name, by name. Analytics and predictions add theirs with registerFields. */
export class Catalog {
  private readonly byName = new Map<string, FieldDef>();

  constructor(fields: readonly FieldDef[] = []) {
    this.register(fields);
  }

  get(name: string): FieldDef | undefined {
    return this.byName.get(name);
  }

  fields(): FieldDef[] {
    return [...this.byName.values()];
  }

  /** The tables the fields live in, each once, in registration order. */
  tables(): string[] {
    return [...new Set(this.fields().map((f) => f.table))];
  }

  /** Adds fields; registering the same definition again is a no-op, a different one under a taken name throws. */
  register(fields: readonly FieldDef[]): void {
    for (const def of fields) {
      validateFieldDef(def);
      const existing = this.byName.get(def.name);
      if (existing && JSON.stringify(existing) !== JSON.stringify(def)) {
        throw new Error(`field ${def.name} is already registered with a different definition`);
      }
      this.byName.set(def.name, Object.freeze({ ...def }));
    }
  }

  /** A copy that can be extended without touching this catalog (tests, previews). */
  with(fields: readonly FieldDef[]): Catalog {
    const c = new Catalog(this.fields());
    c.register(fields);
    return c;
  }
}

/** The process-wide catalog: the customer metrics plus whatever other areas register at start-up. */
export const defaultCatalog = new Catalog(metricFields);

export function registerFields(fields: readonly FieldDef[]): void {
  defaultCatalog.register(fields);
}
