// From the command and the exploration as written to the executions of a sweep: the inline
// declarations taken out of the command, every dimension evaluated, every {{VAR}} checked against
// what will be known, all before any step runs.
import { CmError } from '../../core/errors.js';
import {
  evaluateDimension,
  explorationPoints,
  formatExploreValue,
  mergeDimensions,
  type ExploreValue,
} from '../../core/experiment/explore.js';
import { joinCommand } from '../../core/experiment/command-line.js';
import { extractInlineDimensions } from '../../core/experiment/inline-dimensions.js';
import { substituteVars, varsIn } from '../../core/experiment/substitute.js';
import type { SweepInput } from './sweep-input.js';

/** Names every step can substitute besides the env (CM's built-ins, spec §2.6). */
export const BUILTIN_VARS = [
  'CD',
  'CM_EXPERIMENT_STEP',
  'CM_EXPERIMENT_PATH',
  'CM_EXPERIMENT_PATH2',
  'CM_EXPERIMENT_PATH3',
] as const;

export type Point = Record<string, ExploreValue>;

export interface SweepPlan {
  /** The command with inline declarations rewritten to {{VAR}}. */
  template: string;
  dims: Array<[string, ExploreValue[]]>;
  points: Point[];
}

export function commandText(command: SweepInput['command']): string {
  return 'tokens' in command ? joinCommand(command.tokens) : command.text;
}

/** Evaluate the exploration and check the command's variables; throws before anything runs. */
export function planSweep(sweep: SweepInput, extraNames: readonly string[] = []): SweepPlan {
  const { command: template, dims: inline } = extractInlineDimensions(commandText(sweep.command));
  const written = mergeDimensions(sweep.explore, inline);
  const dims = written.map(([name, value]): [string, ExploreValue[]] => [
    name,
    evaluateDimension(name, value),
  ]);
  const known = new Set<string>([
    ...dims.map(([n]) => n),
    ...Object.keys(sweep.env),
    ...BUILTIN_VARS,
    ...extraNames,
  ]);
  const unknown = varsIn(template).filter((v) => !known.has(v));
  if (unknown.length > 0)
    throw new CmError('bad-input', `key "${unknown[0]}" is not in env during exploration`, {
      hint: `known names: ${[...known].join(', ')}; declare it with --explore.${unknown[0]}=... or --env.${unknown[0]}=...`,
    });
  return { template, dims, points: [...explorationPoints(dims)] };
}

/** The env exported to a point's command: the user's env, then the explored values as strings. */
export function pointEnv(env: Record<string, string>, point: Point): Record<string, string> {
  const out = { ...env };
  for (const [k, v] of Object.entries(point)) out[k] = formatExploreValue(v);
  return out;
}

/** The command of one step, every {{VAR}} replaced (env first, then the built-ins). */
export function stepCommand(
  template: string,
  env: Record<string, string>,
  builtins: Record<string, string>,
): string {
  return substituteVars(template, (name) =>
    Object.hasOwn(env, name)
      ? env[name]
      : Object.hasOwn(builtins, name)
        ? builtins[name]
        : undefined,
  );
}
