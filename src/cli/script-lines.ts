// How the script engine's steps (typed `script` events) look in a terminal: the indented lines of
// a run, as the reference prints them.
import type { ScriptStep } from '../core/events.js';

/** The lines of one step, indented by its depth in the dep tree; none for a step not shown. */
export function scriptStepLines(depth: number, step: ScriptStep, showSkips: boolean): string[] {
  const pad = '  '.repeat(depth);
  switch (step.kind) {
    case 'start':
      return [`${pad}* cm run script "${step.command}"`];
    case 'cache-rejected':
      return [
        `${pad}  cache entry ${step.path} is not reused: ${step.reason}${step.runsAgain ? '; running again' : ''}`,
      ];
    case 'cache-hit':
      return [`${pad}  ! load ${step.file}${step.note}`];
    case 'waiting':
      return [`${pad}  ${step.text}`];
    case 'native':
      return [`${pad}  ! cd ${step.workDir}`, `${pad}  ! call ${step.script} from ${step.wrapper}`];
    case 'would-run':
      return [`${pad}  would run: ${step.command}`];
    case 'env-saved':
      return [`${pad}  env saved to ${step.file}`];
    case 'dep-skipped':
      return showSkips ? [`${pad}  - skipped dep "${step.tags}": ${step.reason}`] : [];
    default: {
      const never: never = step;
      return never;
    }
  }
}
