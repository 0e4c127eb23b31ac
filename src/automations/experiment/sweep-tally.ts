// How a sweep went: steps done, the failed ones, why it stopped early. Filled by the executors'
// drivers (run-locally.ts, run-on-slurm.ts), kept by the run's record (run-record.ts).

export interface FailedStep {
  stepNo: number;
  uid: string;
  exitCode: number;
  logTail?: string;
}

export interface SweepTally {
  done: number;
  failed: FailedStep[];
  /** Why the sweep stopped early (fail-fast, cancelled), if it did. */
  interrupted?: string;
  /** When the sweep started (ms), for the rate and ETA of the progress line. */
  startedMs: number;
  /** The lockfiles the steps' `cm run script` commands wrote (absolute paths, in step order). */
  lockfiles: string[];
}
