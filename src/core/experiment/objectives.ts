// The written form of optimisation objectives: `--pareto=time:min,acc:max` for our Pareto
// frontier and `--ck-margins=time:min:1.10,acc:max` for CK's ratio-margin frontier filter.

import { CmError } from '../errors.js';

export type Goal = 'min' | 'max';

export interface Objective {
  /** A flat result key. */
  key: string;
  goal: Goal;
  /** Relative advantage a row needs to count as strictly better in this objective (default 0). */
  tolerance?: number;
}

/** CK's math.frontier parameters: parallel lists, one entry per key. */
export interface CkObjectives {
  keys: string[];
  /** true: bigger is better (CK's `reverse_keys`); false: smaller is better. */
  maximise: boolean[];
  /** Ratio margins (CK's `margins`): 1.10 demands a 10 % advantage before a point is deleted. */
  margins: number[];
}

const GOAL_HINT =
  'write each objective as KEY:min or KEY:max, separated by commas (time:min,acc:max)';

/** `"time:min,acc:max"` → `[{key: "time", goal: "min"}, {key: "acc", goal: "max"}]`. */
export function parseObjectives(text: string, flag = '--pareto'): Objective[] {
  const objectives = pieces(text, flag, GOAL_HINT).map((piece): Objective => {
    const at = piece.lastIndexOf(':');
    if (at < 0) {
      throw new CmError('bad-input', `${flag}: "${piece}" has no goal`, {
        hint: `write ${piece}:min or ${piece}:max`,
      });
    }
    return { key: keyOf(piece, at, flag), goal: goalOf(piece, piece.slice(at + 1), flag) };
  });
  checkUnique(
    objectives.map((o) => o.key),
    text,
    flag,
  );
  return objectives;
}

const MARGIN_HINT =
  'write each objective as KEY:min or KEY:max with an optional ratio margin, KEY:min:1.10 (default 1.0), separated by commas';

/**
 * `"time:min:1.10,acc:max"` → keys [time, acc], maximise [false, true], margins [1.1, 1].
 * Each comma-separated piece is KEY:GOAL[:MARGIN]; GOAL is min or max; MARGIN is a ratio > 0,
 * 1.0 when left out (plain weak dominance).
 */
export function parseCkMargins(text: string, flag = '--ck-margins'): CkObjectives {
  const out: CkObjectives = { keys: [], maximise: [], margins: [] };
  for (const piece of pieces(text, flag, MARGIN_HINT)) {
    let rest = piece;
    let margin = 1;
    const last = piece.lastIndexOf(':');
    const tail = piece.slice(last + 1).trim();
    if (last >= 0 && !isGoal(tail) && /^[\d.+\-eE]+$/.test(tail)) {
      margin = Number(tail);
      if (!Number.isFinite(margin) || margin <= 0) {
        throw new CmError('bad-input', `${flag}: "${piece}" has the margin ${tail}`, {
          hint: 'a margin is a ratio greater than 0, like 1.10 for a 10 % advantage',
        });
      }
      rest = piece.slice(0, last);
    }
    const at = rest.lastIndexOf(':');
    if (at < 0) {
      throw new CmError('bad-input', `${flag}: "${piece}" has no goal`, {
        hint: `write ${rest}:min or ${rest}:max, optionally followed by :MARGIN`,
      });
    }
    out.keys.push(keyOf(rest, at, flag));
    out.maximise.push(goalOf(piece, rest.slice(at + 1), flag) === 'max');
    out.margins.push(margin);
  }
  checkUnique(out.keys, text, flag);
  return out;
}

/** The comma-separated pieces, trimmed; an empty piece is refused. */
function pieces(text: string, flag: string, hint: string): string[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) {
    throw new CmError('bad-input', `${flag}: no objective given`, { hint });
  }
  const empty = parts.indexOf('');
  if (empty >= 0) {
    throw new CmError('bad-input', `${flag}: objective ${empty + 1} of "${text}" is empty`, {
      hint,
    });
  }
  return parts;
}

function checkUnique(keys: string[], text: string, flag: string): void {
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice === undefined) return;
  throw new CmError('bad-input', `${flag}: "${twice}" is given twice in "${text}"`, {
    hint: 'name each key once',
  });
}

function keyOf(piece: string, colon: number, flag: string): string {
  const key = piece.slice(0, colon).trim();
  if (key === '') {
    throw new CmError('bad-input', `${flag}: "${piece}" has no key before the goal`, {
      hint: GOAL_HINT,
    });
  }
  return key;
}

function isGoal(text: string): text is Goal {
  return text === 'min' || text === 'max';
}

function goalOf(piece: string, written: string, flag: string): Goal {
  const goal = written.trim().toLowerCase();
  if (isGoal(goal)) return goal;
  throw new CmError('bad-input', `${flag}: "${piece}" has the goal "${written.trim()}"`, {
    hint: 'the goal is min (smaller is better) or max (bigger is better)',
  });
}
