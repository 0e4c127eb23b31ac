// What an autotuning run optimises: result keys, each minimised or maximised, in the order the
// tuner is told their values; and the parser of `--objectives="time:min,size:min"`.
import { nearest } from '../../did-you-mean.js';
import { CmError } from '../../errors.js';

/** One result key and whether smaller (min) or larger (max) is better. */
export interface TuneObjective {
  readonly key: string;
  readonly goal: 'min' | 'max';
}

const GOALS = ['min', 'max'] as const;

/**
 * The objectives written as `key:goal,...` (a string, or a list of `key:goal` strings from an input
 * file); a key without a goal is minimised. `where` names the flag or key in messages
 * (`"--objectives"`). Throws one `bad-input` error listing every problem.
 */
export function parseObjectives(written: unknown, where: string): TuneObjective[] {
  const items = Array.isArray(written)
    ? written
    : typeof written === 'string'
      ? written.split(',')
      : undefined;
  if (!items)
    throw new CmError('bad-input', `${where} must be a list such as "time:min,size:min"`, {
      hint: `write ${where}="KEY:min" or "KEY:max", several separated by commas`,
    });
  const problems: string[] = [];
  const objectives: TuneObjective[] = [];
  items.forEach((item, i) => {
    if (typeof item !== 'string') {
      problems.push(`${where}[${i}] must be a string "KEY:min" or "KEY:max"`);
      return;
    }
    const text = item.trim();
    const colon = text.lastIndexOf(':');
    const key = (colon < 0 ? text : text.slice(0, colon)).trim();
    const goal = colon < 0 ? 'min' : text.slice(colon + 1).trim();
    if (key === '') problems.push(`${where}: "${text}" names no result key`);
    else if (!isGoal(goal))
      problems.push(`${where}: "${text}" has goal "${goal}", not min or max${guess(goal)}`);
    else if (objectives.some((o) => o.key === key))
      problems.push(`${where}: "${key}" is given twice`);
    else objectives.push({ key, goal });
  });
  if (problems.length === 0 && objectives.length === 0)
    problems.push(`${where} names no objective`);
  if (problems.length > 0)
    throw new CmError('bad-input', problems.join('\n'), {
      hint: `write ${where}="KEY:min" or "KEY:max", several separated by commas (e.g. "time:min,size:min")`,
      details: { problems },
    });
  return objectives;
}

/** " (did you mean min?)" when the goal is one typo away from one goal, else "". */
function guess(goal: string): string {
  const near = nearest(goal, GOALS);
  return near.length === 1 ? ` (did you mean "${near[0]}"?)` : '';
}

function isGoal(goal: string): goal is TuneObjective['goal'] {
  return (GOALS as readonly string[]).includes(goal);
}
