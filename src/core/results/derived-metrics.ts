// The derived-metrics step of a query (gui.md §5.3): `name = expr` lines parsed one line at a
// time, so a bad line is reported with its line and column while the good ones still apply.
import { CmError } from '../errors.js';
import { parseDerivations, type Derivation } from '../expr/index.js';
import { MAX_DERIVATIONS_LENGTH } from '../expr/derive.js';
import { queryError } from './query-error.js';
import { RESERVED_FIELDS } from './reserved-fields.js';
import { rowEvaluator, type RowTable } from './row-table.js';
import type { QueryError, ResultRow } from './types.js';

/** A derivation with where it was written: its 1-based line and its offset in that line. */
export interface PlacedDerivation extends Derivation {
  readonly line: number;
  readonly offset: number;
}

export interface CompiledDerivations {
  derivations: PlacedDerivation[];
  /** The keys the derivations write, in order, each once. */
  names: string[];
  errors: QueryError[];
}

/**
 * Where a statement that failed to parse starts in its line: after a `;` (or at 0) and ending
 * at a `;` or the line's end; the parser reports columns within the statement.
 */
function statementStart(line: string, statement: string): number {
  for (let k = line.indexOf(statement); k >= 0; k = line.indexOf(statement, k + 1)) {
    const end = k + statement.length;
    if ((k === 0 || line[k - 1] === ';') && (end === line.length || line[end] === ';')) return k;
  }
  return 0;
}

/** Parses the derivations text line by line; syntax errors become QueryErrors (never thrown). */
export function compileDerivations(text: string): CompiledDerivations {
  const out: CompiledDerivations = { derivations: [], names: [], errors: [] };
  if (text.length > MAX_DERIVATIONS_LENGTH) {
    out.errors.push({
      part: 'derived',
      message: `derived: ${text.length} characters of derivations; at most ${MAX_DERIVATIONS_LENGTH} are allowed`,
    });
    return out;
  }
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const what = lines.length > 1 ? `derived line ${lineNo}` : 'derived';
    let parsed: Derivation[];
    try {
      parsed = parseDerivations(line, what);
    } catch (e) {
      const statement = e instanceof CmError ? e.details?.['expression'] : undefined;
      const offset = typeof statement === 'string' ? statementStart(line, statement) : 0;
      out.errors.push(queryError('derived', e, { line: lineNo, offset }));
      return;
    }
    let from = 0;
    for (const d of parsed) {
      const at = Math.max(0, line.indexOf(d.expr.text, from));
      from = at + d.expr.text.length;
      if (RESERVED_FIELDS.has(d.name)) {
        out.errors.push({
          part: 'derived',
          message: `${what}: "${d.name}" is a field of the playground and cannot be derived`,
          line: lineNo,
          position: at + 1 + (d.expr.text.length - d.expr.text.trimStart().length),
          hint: 'choose another name',
        });
        continue;
      }
      out.derivations.push({ ...d, line: lineNo, offset: at });
      if (!out.names.includes(d.name)) out.names.push(d.name);
    }
  });
  return out;
}

/**
 * The derived metrics of every row as columns aligned with `rows`, evaluated in order (a later
 * one sees the earlier ones; one derivation at a time over all rows, which gives the same values).
 * A derivation failing on a row gives null there; the rows with at least one failure are
 * counted in one QueryError placed at the first failure. The rows are not touched.
 */
export function deriveColumns(
  rows: readonly ResultRow[],
  derivations: readonly PlacedDerivation[],
): { derived: Map<string, unknown[]>; error?: QueryError } {
  const derived = new Map<string, unknown[]>();
  const table: RowTable = { rows, derived };
  const failed = new Uint8Array(rows.length);
  let first: { e: CmError; d: PlacedDerivation } | undefined;
  for (const d of derivations) {
    const evaluate = rowEvaluator(d.expr);
    const column = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      try {
        column[i] = evaluate(table, i);
      } catch (e) {
        if (!(e instanceof CmError)) throw e;
        failed[i] = 1;
        first ??= { e, d };
        column[i] = null;
      }
    }
    derived.set(d.name, column);
  }
  if (!first) return { derived };
  const error = queryError('derived', first.e, {
    line: first.d.line,
    offset: first.d.offset,
    rowsAffected: failed.reduce((sum, f) => sum + f, 0),
  });
  return { derived, error };
}
