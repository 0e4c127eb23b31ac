// The public library API: `access()` with CM-compatible dicts ({action, automation, ...} →
// {return: 0, ...} | {return: >0, error}), and `createCm()` for a long-lived instance.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from './automations/dispatch.js';
import type { CallOptions, CmContext } from './automations/context.js';
import { isCmError } from './core/errors.js';
import { maskEvent, silentSink, type CmEvent, type EventSink } from './core/events.js';
import { isDict, type Dict } from './core/merge.js';
import { SecretMask } from './core/secrets.js';
import { ArtifactIndex } from './db/artifact-index.js';
import { fromFsError } from './db/fs-error.js';
import { homePaths } from './db/home.js';
import { parseCommandLine } from './core/argv.js';
import { readInputFile } from './db/meta-file.js';

export { CmError, isCmError } from './core/errors.js';
/** MLPerf inference LoadGen in TypeScript: startTest, querySamplesComplete, settings, the synthetic SUT. */
export * as loadgen from './mlperf/loadgen/index.js';
export type { CmErrorCode } from './core/errors.js';
export type { CmEvent, EventSink } from './core/events.js';
export type { CmContext } from './automations/context.js';

export interface CmOptions {
  /** CM home; default $CM_REPOS or ~/CM. */
  home?: string;
  /** Environment (default process.env). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Receives every event (progress, data lines, warnings); default: dropped. */
  onEvent?: EventSink;
  /** Whether questions can be asked (default false: destructive actions then need -f). */
  interactive?: boolean | (() => boolean);
  confirm?: (question: string) => Promise<boolean>;
  ask?: (question: string) => Promise<string>;
}

/** How one top-level call came about. */
export interface AccessOptions {
  /**
   * The keys the user typed as flags (parseCommandLine's `flags`), checked against the action's
   * declared flags. Computed for an argv input; for a dict, only the caller knows them.
   */
  flags?: readonly string[];
}

export interface Cm {
  /**
   * Run one action. Never throws for expected failures: they come back as {return: >0, error}.
   * An argv input (`['find', 'dataset', '--tag=x']`) is checked as a command line is: a flag the
   * action does not take is an error. A dict is taken as it is (unless options.flags says which
   * of its keys were typed).
   */
  access(input: Dict | string[], options?: AccessOptions): Promise<Dict>;
  context: CmContext;
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
let cachedVersion: string | undefined;
function version(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}

/**
 * The CM result dict of a failure. A file system failure a person can fix (a read-only folder, a
 * full disk) becomes a CmError naming the folder; anything else that is not a CmError is a bug.
 * `home`: the CM home, named in the hint when the failure is inside it.
 */
export function errorResult(e0: unknown, options: { debug?: boolean; home?: string } = {}): Dict {
  const e = isCmError(e0) ? e0 : (fromFsError(e0, { home: options.home }) ?? e0);
  if (isCmError(e)) {
    const r: Dict = { return: e.returnCode, error: e.message, code: e.code };
    if (e.hint) r['hint'] = e.hint;
    if (e.details) r['details'] = e.details;
    return r;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    return: 1,
    error: `internal error: ${err.message}`,
    code: 'internal',
    ...(options.debug ? { stack: err.stack } : {}),
  };
}

export function createCm(options: CmOptions = {}): Cm {
  const env = options.env ?? process.env;
  const secrets = new SecretMask();
  const sink = options.onEvent ?? silentSink;
  const emit: EventSink = sink === silentSink ? sink : (e) => sink(maskEvent(e, secrets));
  const paths = homePaths(options.home ?? env['CM_REPOS'] ?? join(homedir(), 'CM'));
  const internalRepoPath = join(packageRoot, 'repo');
  const index = new ArtifactIndex({
    paths,
    internalRepoPath,
    emit,
    persistent: !['no', 'off', 'false'].includes((env['CM_INDEX'] ?? '').toLowerCase()),
  });
  let interactive: boolean | undefined;
  const context: CmContext = {
    paths,
    index,
    emit,
    secrets,
    env,
    cwd: options.cwd ?? process.cwd(),
    internalRepoPath,
    get version() {
      return version();
    },
    get isInteractive() {
      const i = options.interactive;
      interactive ??= typeof i === 'function' ? i() : (i ?? false);
      return interactive;
    },
    confirm: options.confirm ?? (() => Promise.resolve(false)),
    ask: options.ask ?? (() => Promise.resolve('')),
    access: (input, opts) => run(input, withCallOptions(nested, opts), false),
  };
  // Actions called from other actions (cm.access in a module, a hook's probe) return data instead
  // of printing it, and say nothing about it (a probe that finds nothing prints nothing).
  const nested: CmContext = Object.create(context, {
    emit: {
      value: (e: CmEvent) => (e.type === 'output' || e.type === 'note' ? undefined : emit(e)),
    },
  }) as CmContext;
  /** `flags`: the typed flags of a top-level call (undefined for nested ones: never checked). */
  async function run(
    input: Dict | string[],
    ctx: CmContext,
    isTopLevel: boolean,
    flags?: readonly string[],
  ): Promise<Dict> {
    try {
      let dict: Dict;
      if (Array.isArray(input)) {
        const line = parseCommandLine(input, (f) => readInputFile(f, ctx.cwd));
        dict = line.input;
        if (isTopLevel) flags ??= line.flags;
      } else dict = input;
      if (isTopLevel) {
        secrets.addFrom(dict);
        if (isDict(dict['env'])) secrets.addFrom(dict['env']);
      }
      const result = await dispatch(ctx, dict, isTopLevel ? flags : undefined);
      // Accessors are kept: a part of a result may be made only when read (find's list).
      return Object.defineProperties({ return: 0 }, Object.getOwnPropertyDescriptors(result));
    } catch (e) {
      if (!isCmError(e) && !fromFsError(e) && env['CM_DEBUG'] === 'yes') throw e;
      return secrets.deep(errorResult(e, { debug: true, home: paths.root })) as Dict;
    } finally {
      if (isTopLevel) {
        try {
          index.save();
        } catch (e) {
          emit({ type: 'warning', text: `could not save the index: ${(e as Error).message}` });
        }
      }
    }
  }
  const access = (input: Dict | string[], opts: AccessOptions = {}): Promise<Dict> =>
    run(input, context, true, opts.flags);
  return { access, context };
}

/** The context of a nested call: its working folder and the folders its caller's run holds. */
function withCallOptions(ctx: CmContext, opts: CallOptions = {}): CmContext {
  const props: PropertyDescriptorMap = {};
  if (opts.cwd) props['cwd'] = { value: opts.cwd };
  if (opts.heldFolders) props['heldFolders'] = { value: opts.heldFolders };
  return Object.keys(props).length === 0 ? ctx : (Object.create(ctx, props) as CmContext);
}

/** One-shot API: `await access({action: 'find', automation: 'automation'})`. */
export async function access(input: Dict | string[], options: CmOptions = {}): Promise<Dict> {
  return createCm(options).access(input);
}
