// How a LoadGen process should start Node: V8 keeps a pool of background threads (4 by default)
// for concurrent garbage collection and optimizing compiles. Server's issue loop polls the clock on
// the main thread; on a machine with few cores those threads preempt it for a scheduler time slice
// (about 4 ms: 20 queries at 5,000/s). Measured on a 2-core VM (bench/loadgen.js, Server at 5,000
// QPS): issue delay p99 20-1,300 µs with 4 threads, 19-40 µs with 1. So the pool leaves a core to
// the issue loop: cores − 1 threads, from 1 to Node's 4.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { exitStatusOf } from '../../../core/exit-status.js';

/** The V8 thread pool size for a LoadGen process on `cores` cores. */
export function loadgenPoolSize(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/**
 * The node flags this process lacks to run LoadGen as it should ([] when it has them, when the
 * user chose a pool size, or when Node's default already fits).
 */
export function loadgenNodeFlags(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env['NODE_OPTIONS'] ?? '',
  cores: number = availableParallelism(),
): string[] {
  if ([...execArgv, ...nodeOptions.split(/\s+/)].some((a) => a.startsWith('--v8-pool-size')))
    return [];
  const size = loadgenPoolSize(cores);
  return size < 4 ? [`--v8-pool-size=${size}`] : [];
}

/**
 * Runs `script ARGS` again in a new Node with `flags` added (same stdio and environment); resolves
 * with its exit status (128 + the signal's number when a signal ended it). SIGTERM and SIGHUP are
 * passed on; Ctrl-C reaches both processes from the terminal, so SIGINT is only kept from ending
 * this one before the child has stopped.
 */
export function rerunWith(
  flags: readonly string[],
  script: string,
  args: readonly string[],
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...args], {
      stdio: 'inherit',
    });
    const pass = (signal: NodeJS.Signals): void => void child.kill(signal);
    const keep = (): void => {};
    process.on('SIGTERM', pass).on('SIGHUP', pass).on('SIGINT', keep);
    const done = (status: number): void => {
      process.off('SIGTERM', pass).off('SIGHUP', pass).off('SIGINT', keep);
      resolve(status);
    };
    child.on('error', (e) => {
      process.stderr.write(`mlperf-loadgen: cannot start ${process.execPath}: ${e.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => done(exitStatusOf(code, signal)));
  });
}
