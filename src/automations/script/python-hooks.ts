// Hooks in Python (customize.py): one long-lived worker per top-level run (python/cm_hook_worker.py)
// talking JSON lines over two extra pipes, kept in the run's HookRun.workers. While a hook runs, the worker may call back into the
// engine (i['automation'].run_native_script, find_artifact, cmind.access ...); calls nest.
import { AsyncResource } from 'node:async_hooks';
import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../child-process.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { writeFileAtomic } from '../../db/atomic-file.js';
import type { Readable, Writable } from 'node:stream';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import { replaceContent } from '../../core/script/env.js';
import { inFolder } from './hook-cwd.js';
import { Turns } from './hook-cwd.js';
import type {
  HookLoader,
  HookModule,
  HookName,
  HookRun,
  HookWorker,
  WorkerOptions,
} from './hook-types.js';

/** Answers the worker's questions for the hook that is running (innermost first); `cwd` is the
 *  worker's working folder when it asked (the hook's, unless it moved). */
export type Callback = (op: string, args: Dict, cwd?: string) => Promise<unknown>;

interface Pending {
  resolve: (msg: Dict) => void;
  reject: (e: Error) => void;
  callback: Callback;
}

class PythonWorker implements HookWorker {
  #child: ChildProcess | undefined;
  #in: Writable | undefined;
  #out: Readable | undefined;
  #buffer = '';
  #next = 0;
  #pending = new Map<string, Pending>();
  /** Ids of the calls in progress, innermost last (callbacks go to the innermost). */
  #stack: string[] = [];
  #exited: Error | undefined;
  #python = 'python3';
  /** The worker handles one call at a time; calls made from its callbacks nest inside a turn. */
  readonly #turns = new Turns();

  constructor(private readonly options: WorkerOptions) {}

  async #start(): Promise<void> {
    if (this.#child && !this.#exited) return;
    this.#exited = undefined;
    this.#buffer = ''; // a partial line of a stopped worker must not prefix the new one's
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.options.env)) if (v !== undefined) env[k] = v;
    env['PYTHONPATH'] = [this.options.pythonDir, env['PYTHONPATH']].filter(Boolean).join(':');
    env['PYTHONDONTWRITEBYTECODE'] = '1';
    const python = await this.options.python();
    this.#python = python;
    const child = childProcess().spawn(
      python,
      ['-u', join(this.options.pythonDir, 'cm_hook_worker.py')],
      {
        env,
        stdio: ['inherit', 'pipe', 'pipe', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    this.#in = child.stdio[3] as Writable;
    this.#out = child.stdio[4] as Readable;
    child.stdout!.on('data', (b: Buffer) =>
      this.options.emit({ type: 'process-output', stream: 'stdout', text: b.toString() }),
    );
    child.stderr!.on('data', (b: Buffer) =>
      this.options.emit({ type: 'process-output', stream: 'stderr', text: b.toString() }),
    );
    // A killed worker resets its pipes: those errors are reported through 'exit'.
    for (const stream of [this.#in, this.#out, child.stdout, child.stderr])
      stream?.on('error', () => undefined);
    this.#out.setEncoding('utf8');
    this.#out.on('data', (chunk: string) => this.#onData(chunk));
    const fail = (e: Error): void => {
      if (this.#child !== child) return; // a stopped worker's end
      this.#exited = e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
      this.#stack = [];
    };
    child.on('error', (e) =>
      fail(
        new CmError(
          'hook-failed',
          `cannot start Python (${this.#python}) for customize.py hooks: ${e.message}`,
          {
            hint: 'install python3, or set CM_PYTHON to the interpreter to use',
          },
        ),
      ),
    );
    child.on('exit', (code, signal) =>
      fail(
        new CmError(
          'hook-failed',
          `the Python hook worker stopped (${signal ?? `exit status ${code}`})`,
        ),
      ),
    );
    this.#idle();
  }

  /** Let the cm process end while no hook runs (the worker ends at end of input). */
  #idle(): void {
    const busy = this.#pending.size > 0;
    for (const h of [this.#child, this.#in, this.#out, this.#child?.stdout, this.#child?.stderr]) {
      const r = h as { ref?: () => void; unref?: () => void } | undefined | null;
      if (busy) r?.ref?.();
      else r?.unref?.();
    }
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    let nl: number;
    while ((nl = this.#buffer.indexOf('\n')) >= 0) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      if (line.trim() === '') continue;
      let msg: Dict;
      try {
        msg = JSON.parse(line) as Dict;
      } catch {
        continue;
      }
      this.#onMessage(msg);
    }
  }

  #onMessage(msg: Dict): void {
    const id = String(msg['id']);
    if (msg['t'] === 'cb') {
      const top = this.#pending.get(this.#stack.at(-1) ?? '');
      const answer = (result: unknown): void => this.#send({ t: 'cb_result', id, result });
      if (!top) {
        answer({ return: 1, error: 'no hook is running' });
        return;
      }
      const cwd = typeof msg['cwd'] === 'string' ? msg['cwd'] : undefined;
      top
        .callback(String(msg['op']), isDict(msg['args']) ? msg['args'] : {}, cwd)
        .then(answer, (e: unknown) =>
          answer({ return: 1, error: e instanceof Error ? e.message : String(e) }),
        );
      return;
    }
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    this.#stack = this.#stack.filter((x) => x !== id);
    this.#idle();
    p.resolve(msg);
  }

  #send(msg: Dict): void {
    this.#in?.write(JSON.stringify(msg) + '\n');
  }

  /** The run is over: the worker ends at the end of its input, and holds the process no more. */
  stop(): void {
    const child = this.#child;
    if (!child) return;
    this.#in?.end();
    for (const h of [child, this.#in, this.#out, child.stdout, child.stderr])
      (h as { unref?: () => void } | undefined | null)?.unref?.();
    this.#child = undefined;
    this.#in = undefined;
    this.#out = undefined;
  }

  /** Calls that overlap (hooks of deps run at once) take turns; see hook-cwd.ts. */
  call(file: string, hook: string, i: Dict, callback: Callback, timeoutMs?: number): Promise<Dict> {
    return this.#turns.take(() => this.#call(file, hook, i, callback, timeoutMs));
  }

  async #call(
    file: string,
    hook: string,
    i: Dict,
    callback: Callback,
    timeoutMs?: number,
  ): Promise<Dict> {
    await this.#start();
    const id = `js${++this.#next}`;
    // The worker's questions arrive as events: they are answered in the async context of this
    // call, so that what they start counts as started by it (hook-cwd.ts Turns).
    const bound = AsyncResource.bind(callback);
    const done = new Promise<Dict>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, callback: bound });
    });
    this.#stack.push(id);
    this.#idle();
    this.#send({ t: 'call', id, file, hook, i });
    if (!timeoutMs) return done;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const child = this.#child;
        // Stopped and reaped (its exit awaited) before the error is reported: no zombie is left.
        const gone = new Promise<void>((r) => {
          if (!child || child.exitCode !== null || child.signalCode !== null) r();
          else child.once('exit', () => r());
        });
        // This call is answered by the timeout error, not by the worker's exit.
        this.#pending.delete(id);
        child?.kill('SIGKILL');
        void gone.then(() =>
          reject(
            new CmError(
              'hook-failed',
              `${file}: ${hook}() did not return within ${timeoutMs / 1000} s; the Python worker was stopped`,
              { hint: 'raise --timeout (seconds), or find what the hook waits for' },
            ),
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The run's worker, started on its first Python hook (a run of another env gets its own). */
function workerOf(run: HookRun): PythonWorker {
  const known = run.workers.get('python');
  if (known instanceof PythonWorker) return known;
  const w = new PythonWorker(run);
  run.workers.set('python', w);
  return w;
}

/** JSON-safe copy of a hook input (functions and objects like i.automation are left out). */
function jsonSafe(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (!isDict(v)) return undefined;
  const out: Dict = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'function' || k === 'automation') continue;
    out[k] = jsonSafe(x);
  }
  return out;
}

/** The hook loader for customize.py (the worker gets the run's interpreter, env and events). */
export const pythonLoader: HookLoader = {
  language: 'python',
  files: ['customize.py'],
  async load(file, options): Promise<HookModule> {
    const o = options();
    const w = workerOf(o);
    const noCallbacks: Callback = () =>
      Promise.resolve({ return: 1, error: 'not available while loading' });
    // Starting Python and importing the module get at least a minute, whatever --timeout says.
    const probe = await w.call(
      file,
      '__has__',
      { _path: o.importPaths ?? [] },
      noCallbacks,
      o.timeoutMs ? Math.max(o.timeoutMs, 60_000) : undefined,
    );
    if (probe['t'] === 'error') throw hookError(file, 'import', probe);
    const res = isDict(probe['result']) ? probe['result'] : {};
    const names = new Set(Array.isArray(res['hooks']) ? res['hooks'].map(String) : []);
    return {
      language: 'python',
      file,
      has: (name: HookName) => names.has(name),
      async call(name, i) {
        const api = isDict(i['automation']) ? i['automation'] : {};
        // In the hook's folder, as a JS hook's calls: relative paths resolve as the hook sees them.
        const callback: Callback = (op, args, cwd) =>
          inFolder(cwd ?? o.cwd(), () => answer(op, args));
        const answer = async (op: string, args: Dict): Promise<unknown> => {
          if (op === 'access') {
            const ctxAccess = api['cmind'] as { access?: (x: Dict) => Promise<Dict> } | undefined;
            return jsonSafe(await ctxAccess?.access?.(args)) ?? { return: 1, error: 'no access' };
          }
          const fn = api[op] as ((x: Dict) => unknown) | undefined;
          if (typeof fn !== 'function')
            return { return: 1, error: `automation.${op} is not available` };
          // The method is the one JS hooks call; the inputs it changes in place (`_inout`: env,
          // which_env, deps) go back with its result, and the worker changes the hook's alike.
          const inout = Array.isArray(args['_inout']) ? args['_inout'].map(String) : [];
          delete args['_inout'];
          const value = await fn(args);
          const back: Dict = {};
          for (const k of inout) if (k in args) back[k] = jsonSafe(args[k]);
          return { _value: jsonSafe(value), _inout: back };
        };
        const msg = await w.call(
          file,
          name,
          {
            ...(jsonSafe(i) as Dict),
            _cwd: o.cwd(),
            _path: o.importPaths ?? [],
            _prefix: typeof api['env_prefix'] === 'string' ? api['env_prefix'] : 'CM_',
          },
          callback,
          o.timeoutMs,
        );
        if (msg['t'] === 'error') throw hookError(file, name, msg);
        for (const k of ['env', 'state', 'meta'] as const) {
          const target = i[k];
          const back = msg[k];
          if (isDict(target) && isDict(back)) replaceContent(target, back);
        }
        return isDict(msg['result']) ? msg['result'] : { return: 0 };
      },
    };
  },
};

function hookError(file: string, hook: string, msg: Dict): CmError {
  const tb = typeof msg['traceback'] === 'string' ? msg['traceback'] : '';
  const error = String(msg['error'] ?? 'an error');
  // A missing package: say how to get it (mlcflow pip-installs it unasked; we install nothing).
  const missing = /^ModuleNotFoundError: No module named '([^'.]+)/.exec(error)?.[1];
  const install = missing
    ? `the hook needs the Python package "${missing}": install it for the interpreter that runs hooks ($CM_PYTHON or python3), e.g. python3 -m pip install ${missing}\n`
    : '';
  return new CmError('hook-failed', `${file}: ${hook}() raised ${error}`, {
    hint: tb || install ? `${install}${tb ? `Python traceback:\n${tb.trimEnd()}` : ''}` : undefined,
    details: { traceback: tb, hook, file },
  });
}

/**
 * The Python interpreter for hooks: $CM_PYTHON, else python3 on PATH. A pyenv shim costs ~300 ms
 * per start, so the interpreter it resolves to is remembered in the CM home (keyed by PATH,
 * PYENV_VERSION, the pyenv version file and the folder, which decide what the shim picks).
 */
export async function resolvePython(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  cacheFile: string,
): Promise<string> {
  if (env['CM_PYTHON']) return env['CM_PYTHON'];
  const onPath = (env['PATH'] ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((d) => join(d, 'python3'))
    .find((f) => existsSync(f));
  if (!onPath) return 'python3';
  if (!onPath.includes('/shims/')) return onPath;
  const root = env['PYENV_ROOT'] ?? '';
  const versionFile = root ? join(root, 'version') : '';
  const key = JSON.stringify([
    onPath,
    env['PATH'],
    env['PYENV_VERSION'] ?? '',
    versionFile && existsSync(versionFile) ? statSync(versionFile).mtimeMs : 0,
    cwd,
  ]);
  let known: Record<string, string> = {};
  try {
    known = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>;
  } catch {
    // no cache yet
  }
  const hit = known[key];
  if (hit && existsSync(hit)) return hit;
  const r = childProcess().spawnSync(onPath, ['-c', 'import sys; print(sys.executable)'], {
    encoding: 'utf8',
    cwd,
  });
  const exe = (r.stdout ?? '').trim();
  if (r.status !== 0 || !exe || !existsSync(exe)) return onPath;
  try {
    const entries = Object.entries(known).slice(-20);
    writeFileAtomic(cacheFile, JSON.stringify(Object.fromEntries([...entries, [key, exe]])));
  } catch {
    // an optimisation only
  }
  return exe;
}

export function pythonDirOf(internalRepoPath: string): string {
  return join(dirname(internalRepoPath), 'python');
}
