// Running a script's native `run.sh` (or `run-<os>.sh`, `run.bat`) through a generated wrapper
// that exports the env, and reading back what it wrote (tmp-run-env.out, tmp-run-state.json).
import { childProcess } from '../child-process.js';
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { exitStatusOf } from '../../core/exit-status.js';
import type { EventSink } from '../../core/events.js';
import { isDict, type Dict } from '../../core/merge.js';
import {
  envString,
  exportLinesWithoutSecrets,
  parseEnvOut,
  shellQuote,
  type Env,
} from '../../core/script/env.js';
import { secretKeysOf, type KnownSecrets } from '../../core/secrets.js';
import { parseJson } from '../../db/meta-file.js';
import type { OsInfo } from './host.js';
import { fileIn } from '../../db/dir-listing.js';

/**
 * The native script to run for base name `base`, most specific first (§10.2). `prefix` is the
 * script's env prefix; MLC scripts follow mlcflow's order, which adds the OS family
 * (run-debian.sh for an Ubuntu host, MLC_HOST_OS_FLAVOR_LIKE) and the OS type (run-linux.sh).
 */
export function chooseNativeScript(
  dir: string,
  base: string,
  env: Env,
  os: OsInfo,
  prefix = 'CM_',
): string | undefined {
  if (os.platform === 'windows') return fileIn(dir, `${base}.bat`);
  const flavor = envString(env[`${prefix}HOST_OS_FLAVOR`] ?? '');
  const version = envString(env[`${prefix}HOST_OS_VERSION`] ?? '');
  const pflavor = envString(env[`${prefix}HOST_PLATFORM_FLAVOR`] ?? '');
  const names: string[] = [];
  if (prefix === 'MLC_') {
    // mlcflow's order (get_script_name); empty parts are left out of a name.
    const like = envString(env['MLC_HOST_OS_FLAVOR_LIKE'] ?? '');
    const type = envString(env['MLC_HOST_OS_TYPE'] ?? '');
    const v = flavor ? version : '';
    const name = (...parts: string[]): string => {
      const p = parts.filter(Boolean);
      return p.length ? `${base}-${p.join('-')}.sh` : '';
    };
    const order = [
      name(flavor, v, pflavor),
      name(flavor, v),
      name(flavor, pflavor),
      name(flavor),
      name(like, pflavor),
      name(like),
      name(type, pflavor),
      name(type),
      name(pflavor),
    ];
    names.push(...order.filter(Boolean));
  } else {
    names.push(
      `${base}-${flavor}-${version}-${pflavor}.sh`,
      `${base}-${flavor}-${pflavor}.sh`,
      `${base}-${flavor}-${version}.sh`,
      `${base}-${flavor}.sh`,
      `${base}-${pflavor}.sh`,
    );
  }
  names.push(`${base}.sh`);
  for (const n of names) {
    if (n.includes('--') || /-\.sh$/.test(n)) continue;
    const f = fileIn(dir, n);
    if (f) return f;
  }
  return undefined;
}

export interface NativeResult {
  exitCode: number;
  envOut: Env;
  stateOut: Dict;
  tail: string;
}

export const RUN_OUTPUT_FILES = ['tmp-run-state.json', 'tmp-run-env.out'];

/** A value for a cmd.exe `set "K=V"` or `call "PATH"`: `%` doubled so that nothing expands. */
function batQuote(s: string): string {
  return `"${s.replace(/%/g, '%%').replace(/"/g, '')}"`;
}

/**
 * Write the wrapper (tmp-run.sh) and the state file in `workDir`. Every value and the script's
 * path are quoted (a folder named `$(id)` stays a name); secrets are not written but returned,
 * to be given to the process through its environment.
 */
export function writeWrapper(
  workDir: string,
  script: string,
  env: Env,
  state: Dict,
  os: OsInfo,
  known?: KnownSecrets,
): { wrapper: string; secrets: Env; unexportable: string[] } {
  const prefix = Array.isArray(state['script_prefix']) ? state['script_prefix'].map(String) : [];
  const lines = [...os.start_script];
  if (prefix.length > 0) lines.push(...prefix, '');
  const { lines: exports, secrets, unexportable } = exportLinesWithoutSecrets(env, known);
  if (os.platform === 'windows') {
    for (const [k, v] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1)))
      if (!k.startsWith('+') && !(k in secrets))
        lines.push(`set ${batQuote(`${k}=${envString(v)}`)}`);
    lines.push('', `call ${batQuote(script)}`);
  } else {
    lines.push(...exports, '', `. ${shellQuote(script)}`);
  }
  const name = os.platform === 'windows' ? 'tmp-run.bat' : 'tmp-run.sh';
  writeFileSync(join(workDir, 'tmp-state.json'), JSON.stringify(state, null, 2) + '\n');
  writeFileSync(join(workDir, name), lines.join('\n') + '\n');
  if (os.platform !== 'windows') chmodSync(join(workDir, name), 0o755);
  return { wrapper: name, secrets, unexportable };
}

/**
 * Process output as events, a line at a time (a partial line after 50 ms of quiet), so that the
 * masking of secrets in each event never meets half a secret.
 */
export function lineEvents(emit: EventSink, stream: 'stdout' | 'stderr') {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending !== '') emit({ type: 'process-output', stream, text: pending });
    pending = '';
  };
  return {
    data(text: string): void {
      pending += text;
      const cut = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r'));
      if (cut >= 0) {
        emit({ type: 'process-output', stream, text: pending.slice(0, cut + 1) });
        pending = pending.slice(cut + 1);
      }
      if (timer) clearTimeout(timer);
      timer = pending === '' ? undefined : setTimeout(flush, 50);
    },
    flush,
  };
}

/**
 * Runs `cmd` with its output as line events (masked a line at a time), keeping the last `keep`
 * characters of it for error messages; resolves with its exit status.
 */
export async function streamProcess(
  cmd: string,
  args: readonly string[],
  o: {
    cwd?: string;
    env: Readonly<Record<string, string | undefined>>;
    emit: EventSink;
    stdin: 'inherit' | 'ignore';
    keep: number;
  },
): Promise<{ code: number; tail: string }> {
  let tail = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = childProcess().spawn(cmd, args, {
      ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
      env: o.env as NodeJS.ProcessEnv,
      stdio: [o.stdin, 'pipe', 'pipe'],
    });
    const out = lineEvents(o.emit, 'stdout');
    const err = lineEvents(o.emit, 'stderr');
    const onData = (lines: typeof out) => (text: string) => {
      tail = (tail + text).slice(-o.keep);
      lines.data(text);
    };
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', onData(out));
    child.stderr!.on('data', onData(err));
    child.on('error', reject);
    child.on('close', (c, signal) => {
      out.flush();
      err.flush();
      resolve(exitStatusOf(c, signal));
    });
  });
  return { code, tail };
}

/** Run the wrapper, streaming its output as events; resolve with its exit status and outputs. */
export async function runWrapper(opts: {
  workDir: string;
  wrapper: string;
  processEnv: Readonly<Record<string, string | undefined>>;
  /** Env given to the process only (secrets that the wrapper does not hold). */
  secrets?: Env;
  known?: KnownSecrets;
  emit: EventSink;
  os: OsInfo;
  keepCopyAs?: string;
}): Promise<NativeResult> {
  for (const f of RUN_OUTPUT_FILES) rmSync(join(opts.workDir, f), { force: true });
  if (opts.keepCopyAs)
    copyFileSync(join(opts.workDir, opts.wrapper), join(opts.workDir, opts.keepCopyAs));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.processEnv)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(opts.secrets ?? {})) env[k] = envString(v);
  const [cmd, args] =
    opts.os.platform === 'windows'
      ? ['cmd', ['/c', opts.wrapper]]
      : ['bash', ['-c', `. ./${opts.wrapper}`]];
  const { code: exitCode, tail } = await streamProcess(cmd, args, {
    cwd: opts.workDir,
    env,
    emit: opts.emit,
    stdin: 'inherit',
    keep: 4000,
  });
  const envFile = join(opts.workDir, 'tmp-run-env.out');
  const stateFile = join(opts.workDir, 'tmp-run-state.json');
  const envOut = existsSync(envFile) ? parseEnvOut(readFileSync(envFile, 'utf8')) : {};
  // The script's own output file keeps no secret it wrote back (it stays in a cache entry).
  if (secretKeysOf(envOut, opts.known).length > 0) rmSync(envFile, { force: true });
  let stateOut: Dict = {};
  if (existsSync(stateFile)) {
    const parsed = parseJson(readFileSync(stateFile, 'utf8'), stateFile);
    if (!isDict(parsed)) throw new CmError('bad-input', `${stateFile} must hold a JSON object`);
    stateOut = parsed;
  }
  return { exitCode, envOut, stateOut, tail };
}

/**
 * Run a native script in `workDir`: CM_TMP_CURRENT_SCRIPT_PATH/WORK_PATH (with the script's prefix)
 * set in `env`, the wrapper written, `onStart` told its name, then run.
 */
export async function executeNative(opts: {
  workDir: string;
  script: string;
  scriptDir: string;
  env: Env;
  state: Dict;
  os: OsInfo;
  processEnv: Readonly<Record<string, string | undefined>>;
  /** Secrets named with --secret.NAME: given through the process env, never written. */
  known?: KnownSecrets;
  emit: EventSink;
  keepCopyAs?: string;
  onStart?: (wrapper: string) => void;
  /** The script's env prefix (CM_ or MLC_). */
  prefix?: string;
}): Promise<NativeResult> {
  const prefix = opts.prefix ?? 'CM_';
  opts.env[`${prefix}TMP_CURRENT_SCRIPT_PATH`] = opts.scriptDir;
  opts.env[`${prefix}TMP_CURRENT_SCRIPT_WORK_PATH`] = opts.workDir;
  const { wrapper, secrets, unexportable } = writeWrapper(
    opts.workDir,
    opts.script,
    opts.env,
    opts.state,
    opts.os,
    opts.known,
  );
  if (unexportable.length > 0)
    opts.emit({
      type: 'warning',
      text: `env keys that are no shell variable names are not given to ${opts.script}: ${unexportable.map((k) => JSON.stringify(k)).join(', ')}`,
    });
  opts.onStart?.(wrapper);
  return runWrapper({
    workDir: opts.workDir,
    wrapper,
    processEnv: opts.processEnv,
    secrets,
    ...(opts.known ? { known: opts.known } : {}),
    emit: opts.emit,
    os: opts.os,
    keepCopyAs: opts.keepCopyAs,
  });
}

/** The last lines of a process's output, for error messages. */
export function lastLines(text: string, n = 15): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-n).join('\n');
}
