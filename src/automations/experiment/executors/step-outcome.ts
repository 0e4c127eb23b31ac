// What the experiment runner hands an executor (prepared step folders) and what it gets back (one
// outcome per step). Shared by the executors; no behaviour here.

/** A step folder the runner prepared: `cm-input.json` and the `tmp-native-run.sh` wrapper in it. */
export interface PreparedStep {
  /** 0-based index of the point in the exploration. */
  index: number;
  /** The step folder (the command's working folder). */
  dir: string;
  /** The wrapper to run with bash in `dir` (a name inside `dir`, or an absolute path). */
  wrapper: string;
}

/** How one step ended. */
export interface StepOutcome {
  index: number;
  exitCode: number;
  durationS: number;
  /** ISO date-times. */
  startedAt: string;
  endedAt: string;
  /** The last lines of the step's output, for a step that failed. */
  logTail?: string;
  /** Why the outcome is not the step's own record (no status file: what Slurm said instead). */
  note?: string;
}
