// Turns a CmError raised by the expression language into the QueryError the API answers with
// (gui.md §5.6: a 200 answer listing errors, never a 5xx). Bugs (plain Errors) are rethrown.
import { CmError } from '../errors.js';
import type { QueryError } from './types.js';

/** Where an error sits beyond its part: the line, an offset to add to its column, a count. */
export interface ErrorPlace {
  line?: number;
  /** Added to the error's 1-based column (the statement's offset within its line). */
  offset?: number;
  index?: number;
  rowsAffected?: number;
}

/** The QueryError of `e`, which must be a CmError (anything else is a bug and is rethrown). */
export function queryError(
  part: QueryError['part'],
  e: unknown,
  place: ErrorPlace = {},
): QueryError {
  if (!(e instanceof CmError)) throw e;
  const out: QueryError = { part, message: e.message };
  const column = e.details?.['column'];
  if (typeof column === 'number') out.position = column + (place.offset ?? 0);
  if (place.line !== undefined) out.line = place.line;
  if (place.index !== undefined) out.index = place.index;
  if (place.rowsAffected !== undefined) out.rowsAffected = place.rowsAffected;
  if (e.hint !== undefined) out.hint = e.hint;
  return out;
}
