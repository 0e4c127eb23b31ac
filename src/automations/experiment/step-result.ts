// The result of one step (spec §2.7): what the command left in cm-output.json (or cm-result.json),
// flattened into dotted keys, then the explored values, then what CM measured. Never shared
// between steps: every result is a fresh object.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { flattenResult } from '../../core/experiment/flatten.js';
import { isDict } from '../../core/merge.js';
import type { StepOutcome } from './executors/local.js';
import { jsonErrorPlace } from './results-file.js';
import { lockfileKeys } from './step-lockfiles.js';
import type { Point } from './sweep-plan.js';

/** Keys CM writes into every result; a command's output cannot replace them. */
export const RESERVED_KEYS = [
  'uid',
  'iso_datetime',
  'step',
  'repeat',
  'command',
  'exit_code',
  'duration_s',
] as const;

/** What the command wrote: cm-output.json first, else a dict in cm-result.json; a problem when unreadable. */
export function readStepOutput(stepDir: string): {
  output: Record<string, unknown>;
  problem?: string;
} {
  for (const name of ['cm-output.json', 'cm-result.json']) {
    const file = join(stepDir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isDict(parsed)) return { output: {}, problem: `${file}: must hold a JSON object` };
      return { output: parsed };
    } catch (e) {
      return { output: {}, problem: `${file}: not valid JSON${jsonErrorPlace(text, e)}` };
    }
  }
  return { output: {} };
}

export interface StepFacts {
  uid: string;
  dir: string;
  stepNo: number;
  repeat: number;
  point: Point;
  command: string;
  /** replay: "<run folder>/<uid>" of the result this step replays. */
  replayOf?: string;
}

export function stepResult(
  facts: StepFacts,
  outcome: StepOutcome,
): {
  row: Record<string, unknown>;
  output: Record<string, unknown>;
  problem?: string;
} {
  const { output, problem } = readStepOutput(facts.dir);
  const row: Record<string, unknown> = flattenResult(output);
  for (const [k, v] of Object.entries(facts.point)) row[k] = v;
  row['uid'] = facts.uid;
  row['iso_datetime'] = outcome.startedAt;
  row['step'] = facts.stepNo;
  row['repeat'] = facts.repeat;
  row['command'] = facts.command;
  row['exit_code'] = outcome.exitCode;
  row['duration_s'] = outcome.durationS;
  if (facts.replayOf !== undefined) row['replay_of'] = facts.replayOf;
  Object.assign(row, lockfileKeys(dirname(facts.dir), facts.dir));
  if (problem !== undefined) row['output_problem'] = problem;
  return problem === undefined ? { row, output } : { row, output, problem };
}

/** The key of an execution (its explored values and repetition), to find it among recorded results. */
export function executionKey(
  dimNames: readonly string[],
  values: Record<string, unknown>,
  repeat: unknown,
): string {
  return JSON.stringify([...dimNames.map((n) => values[n] ?? null), repeat]);
}
