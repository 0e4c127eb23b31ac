// The real CLI as a child process: plan_script, run_script and list_cache run `cm … -j` so that an
// agent's run goes through the same engine, cache and locks as a person's. Each child leads its own
// process group (stdin ignored), so that a cancelled request or a client that went away can stop it
// and everything it started; a run killed this way leaves its cache entry tagged tmp (never reused)
// and its lock files owned by a dead process (taken over by the next claim).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../server/package-root.js';

/** bin/cm.js of this installation: what `cm mcp` runs for every plan, run and query. */
export function cmBinPath(): string {
  return join(packageRoot(), 'bin', 'cm.js');
}

export interface CliOutcome {
  /** The exit status (null when killed by a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The parsed `-j` result, when stdout held JSON. */
  json: Record<string, unknown> | undefined;
  /** Whether the run was stopped through the abort signal. */
  cancelled: boolean;
}

export interface CliOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal?: AbortSignal;
  /** Each line the child writes to stderr (CM's messages and the script's own output under -j). */
  onLine?: (line: string) => void;
}

/** Children now running, so that the server can stop all of them when the client goes away. */
const running = new Set<ChildProcess>();

/** Kills a child's whole process group: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export function killGroup(child: ChildProcess, graceMs = 1500): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const send = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // The group is already gone: nothing left to stop.
    }
  };
  send('SIGTERM');
  const timer = setTimeout(() => send('SIGKILL'), graceMs);
  timer.unref();
  child.once('exit', () => {
    clearTimeout(timer);
    // Whatever the script left behind in the group (a `sleep`) goes too.
    send('SIGKILL');
  });
}

/** Stops every running child at once (the transport closed or the server is exiting). */
export function killAllChildren(graceMs = 500): void {
  for (const child of running) killGroup(child, graceMs);
}

/** Whether any child still runs. */
export function childrenRunning(): number {
  return running.size;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `node bin/cm.js ARGS` in its own process group; resolves when it has exited. */
export function runCli(args: readonly string[], opts: CliOptions): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      resolve({
        code: null,
        signal: null,
        stdout: '',
        stderr: '',
        json: undefined,
        cancelled: true,
      });
      return;
    }
    const child = spawn(process.execPath, [cmBinPath(), ...args], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    let partial = '';
    let cancelled = false;
    const onAbort = (): void => {
      cancelled = true;
      killGroup(child);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!opts.onLine) return;
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) opts.onLine(line);
    });
    child.on('error', (e) => {
      running.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      opts.signal?.removeEventListener('abort', onAbort);
      if (partial !== '' && opts.onLine) opts.onLine(partial);
      resolve({ code, signal, stdout, stderr, json: parseJson(stdout), cancelled });
    });
  });
}
