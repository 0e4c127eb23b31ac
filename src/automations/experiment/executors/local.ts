// Runs prepared steps on this machine, up to `parallel` at once, each as `bash tmp-native-run.sh`
// in its step folder. Output passes through as process-output events, a line at a time, so the
// lines of steps running side by side do not mix.
import { childProcess } from '../../child-process.js';
import type { EventSink } from '../../../core/events.js';
import { exitStatusOf } from '../../../core/exit-status.js';
import { lineEvents, lastLines } from '../../script/native.js';
import { isoLocal, nowMs } from '../run-folder.js';
import type { PreparedStep } from '../step-folder.js';
import type { StepOutcome } from './step-outcome.js';
import { BashRunner } from './bash-runner.js';

export type { StepOutcome };

/** What to run next: a step, 'wait' (more may come once running steps finish), or undefined (no more). */
export type NextStep = () => PreparedStep | 'wait' | undefined;

export interface LocalRunOptions {
  parallel: number;
  emit: EventSink;
  processEnv: Readonly<Record<string, string | undefined>>;
  /** Checked before each start: true stops starting new steps (fail-fast, interrupted). */
  shouldStop?: () => boolean;
  onStart?: (step: PreparedStep) => void;
  onDone: (step: PreparedStep, outcome: StepOutcome) => void;
}

/** Run one prepared step; resolves when its process has exited. */
export function runStep(
  step: PreparedStep,
  emit: EventSink,
  processEnv: Readonly<Record<string, string | undefined>>,
): Promise<StepOutcome> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env[k] = v;
  Object.assign(env, step.secrets);
  const started = nowMs();
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn('bash', [step.wrapper], {
      cwd: step.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = lineEvents(emit, 'stdout');
    const err = lineEvents(emit, 'stderr');
    let tail = '';
    const pass = (lines: typeof out) => (text: string) => {
      tail = (tail + text).slice(-4000);
      lines.data(text);
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', pass(out));
    child.stderr.on('data', pass(err));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      out.flush();
      err.flush();
      const ended = nowMs();
      const exitCode = exitStatusOf(code, signal);
      const outcome: StepOutcome = {
        index: step.index,
        exitCode,
        durationS: Math.round(ended - started) / 1000,
        startedAt: isoLocal(started),
        endedAt: isoLocal(ended),
      };
      if (exitCode !== 0) outcome.logTail = lastLines(tail, 20);
      resolve(outcome);
    });
  });
}

/** Bash runners for steps, one per step running at once; a step with other secrets runs on its own. */
function runnerPool(o: LocalRunOptions) {
  const idle: BashRunner[] = [];
  const all: BashRunner[] = [];
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.processEnv)) if (v !== undefined) base[k] = v;
  return {
    async run(step: PreparedStep): Promise<StepOutcome> {
      const key = JSON.stringify(Object.entries(step.secrets).sort());
      let runner = idle.pop();
      if (runner && runner.secretsKey !== key) {
        idle.push(runner);
        runner = undefined;
      }
      const live = all.filter((r) => r.alive).length;
      if (!runner && live >= o.parallel) return runStep(step, o.emit, o.processEnv);
      if (!runner) {
        runner = new BashRunner(o.emit, { ...base, ...step.secrets }, key);
        all.push(runner);
      }
      try {
        return await runner.run(step);
      } finally {
        if (runner.alive) idle.push(runner);
      }
    },
    close: () => all.forEach((r) => r.close()),
  };
}

/** Run steps from `next` until it has no more, `parallel` at a time. */
export async function runStepsLocally(next: NextStep, o: LocalRunOptions): Promise<void> {
  const running = new Set<Promise<void>>();
  const pool = runnerPool(o);
  try {
    for (;;) {
      while (running.size < o.parallel && !o.shouldStop?.()) {
        const step = next();
        if (step === undefined || step === 'wait') break;
        o.onStart?.(step);
        const p: Promise<void> = pool.run(step).then((outcome) => {
          running.delete(p);
          o.onDone(step, outcome);
        });
        // A failure is thrown by the race below; the others that fail meanwhile are not lost
        // unhandled.
        p.catch(() => {});
        running.add(p);
      }
      if (running.size === 0) return;
      await Promise.race(running);
    }
  } finally {
    pool.close();
  }
}
