export type { FieldDef, FieldType } from './field.js';
export { Catalog, defaultCatalog, registerFields } from './catalog.js';
export { metricFields } from './metrics.js';
export { rowDefaults } from './defaults.js';
