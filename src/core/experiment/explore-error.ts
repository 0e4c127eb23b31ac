// How an exploration expression fails: `cannot evaluate exploration expression for VAR: <reason>
// at column N`. Shared by its lexer, parser and evaluator; knows nothing of the grammar.
import { CmError } from '../errors.js';

/** The forms an exploration expression may take, for hints. */
export const EXPLORE_FORMS =
  "a list [1, 'a', True], range(stop) or range(start, stop[, step]), start:stop[:step] (stop included), " +
  'or [EXPR for i in range(...)] with EXPR using + - * / // % ** and min max abs round int float';

/** A failure not yet turned into a CmError; `pos` is an offset into the expression. */
export class ExploreFault extends Error {
  pos: number | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: { pos?: number; hint?: string } = {}) {
    super(message);
    this.name = 'ExploreFault';
    this.pos = options.pos;
    this.hint = options.hint;
  }
}

/** The CmError for a fault in the expression of dimension `name`. */
export function exploreError(name: string, fault: ExploreFault): CmError {
  return new CmError(
    'bad-input',
    `cannot evaluate exploration expression for ${name}: ${fault.message} at column ${(fault.pos ?? 0) + 1}`,
    { hint: fault.hint ?? `supported forms: ${EXPLORE_FORMS}` },
  );
}

/** Runs `compute`, placing a position-less fault at `pos`. */
export function at<T>(pos: number, compute: () => T): T {
  try {
    return compute();
  } catch (e) {
    if (e instanceof ExploreFault && e.pos === undefined) e.pos = pos;
    throw e;
  }
}
