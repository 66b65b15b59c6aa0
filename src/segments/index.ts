/**
 * The segment engine: a definition is a JSON AST (validated by segmentAstSchema) or text (parseSegment);
 * compileSegment turns it into SQL over the whole base, evaluateSegment runs it over one customer's
 * state, and both agree (test/segments/property).
 */
export type {
  SegmentAst,
  Condition,
  ConditionKind,
  Diagnostic,
  Span,
  Literal,
  Operand,
  Duration,
  Window,
} from './ast/index.js';
export { segmentAstSchema, SegmentError } from './ast/index.js';
export type { FieldDef, FieldType } from './catalog/index.js';
export { Catalog, defaultCatalog, registerFields } from './catalog/index.js';
export { parseSegment, type ParseResult } from './syntax/parse.js';
export { unparse } from './syntax/unparse.js';
export { checkSegment } from './catalog/check.js';
export { referencedFields, referencedSegments } from './ast/references.js';
export type { Dialect } from './compiler/dialect.js';
export { duckdbDialect } from './compiler/duckdb.js';
export { compileSegment, type CompileOptions, type CompiledSegment } from './compiler/compile.js';
export type {
  CustomerState,
  CustomerEvent,
  ExplanationNode,
  EvaluationResult,
  Truth,
  Scalar,
} from './evaluator/state.js';
export { customerState } from './evaluator/state.js';
export { evaluateSegment, type EvaluateOptions } from './evaluator/evaluate.js';
export { loadCustomerState } from '../store/queries/segment-state.js';
