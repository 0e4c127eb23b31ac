// The expression language of gui.md §5.3 (filters, derived metrics), safe by construction: a
// hand-written parser and evaluator, no eval. This file only gathers the public API.
export type { Expr, Node } from './ast.js';
export { parseExpression, MAX_EXPRESSION_BYTES, MAX_NESTING } from './parser.js';
export { evaluate, compileFilter, filterRows, type Row, type RowFilter } from './evaluate.js';
export { parseDerivations, applyDerivations, type Derivation } from './derive.js';
export { MAX_PATTERN_LENGTH, MAX_SUBJECT_LENGTH } from './safe-regex.js';
export { FUNCTION_NAMES } from './functions.js';
