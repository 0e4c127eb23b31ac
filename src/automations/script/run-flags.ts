// The flags of `cm run script`: the engine's own (declared once, for --help and for the typo check)
// and the warning for a typed flag that neither the engine nor any script of the run used.
import { rowKeys, unknownFlags, unusedFlagWarning, type FlagRow } from '../../core/flags.js';
import type { Dict } from '../../core/merge.js';
import type { CmContext } from '../context.js';

/** Every input key run.ts reads itself, as `cm run script --help` lists them. */
export const RUN_FLAGS: readonly FlagRow[] = [
  ['"TAGS _VARIATION"', 'select by tags: -tag excludes, _v selects a variation, -_v excludes one'],
  ['--tags=a,b,_v', 'the same as a flag'],
  ['--dry-run, --dryrun, --plan', 'print the resolved dependency tree, run nothing'],
  ['--version=V', 'this version'],
  ['--version_min=V, --version_max=V', 'bounds of the version'],
  ['--version_max_usable=V', 'the version to take when the newest is above --version_max'],
  ['--env.KEY=V', 'env of the run'],
  [
    '--secret.NAME[=V]',
    'a secret in the env of the run (the value, else NAME from this environment): masked, never written',
  ],
  ['--const.KEY=V', 'env that wins over the script meta too'],
  ['--state.KEY=V, --const_state.KEY=V', 'state of the run / state that wins over the meta'],
  ['--adr.NAME.KEY=V', 'update deps named NAME, recursively (--add_deps_recursive: the same)'],
  ['--add_deps_recursive.NAME.KEY=V', 'the same as --adr'],
  ['--ad.NAME.KEY=V, --add_deps.NAME.KEY=V', 'update direct deps named NAME'],
  ['--new, --renew', 'make another cache entry / re-run in the existing one'],
  ['--skip_cache', 'run without the cache'],
  ['--explain', 'after the run (or the plan), say per script why the cache was used or not'],
  ['--force_cache', 'cache where the script allows it (can_force_cache)'],
  ['--only_execute_from_cache', 'fail instead of running when there is no cache entry'],
  ['--cache_expiration=2h', 'the new cache entry expires after 45s, 10m, 2h, 3d ...'],
  ['--extra_cache_tags=a,b', 'more tags for the cache entry'],
  ['--fake_run, --prepare', 'run the deps but not the script'],
  ['--fake_deps', 'record the deps, run none'],
  ['--print_deps, --print_env', 'list the direct deps / print the env before the native run'],
  ['--save_env, --shell', 'write a sourceable tmp-env.sh / and open a shell with it'],
  ['--dirty', 'keep the tmp-* files of a non-cached run'],
  [
    '--repro',
    'write cm-output.json, cm-lock.json and README-repro.md (how to run it again elsewhere)',
  ],
  ['--lock=FILE', 'write the resolved tree (repos at their commits, scripts, versions) to FILE'],
  ['--frozen=FILE', 'run exactly the tree FILE locks: any difference stops it before it runs'],
  ['--parallel=N', 'run up to N independent deps of a script at once (CM_PARALLEL)'],
  ['--ignore_script_error', 'go on after the native script fails'],
  ['--debug_script_tags=t', 'keep tmp-run-without-cm.sh for scripts with these tags'],
  ['--debug_uid=UID', 'sets CM_TMP_DEBUG_UID'],
  ['--outdirname=DIR', 'working folder of the script'],
  ['--path=DIR', 'where to look for the tool (CM_TMP_PATH)'],
  [
    '--input=V, --output=V, --outbasename=V, --name=V',
    'set CM_INPUT, CM_OUTPUT ... (MLC_ in MLC repos); --name also tags the cache entry',
  ],
  [
    '--skip_compile, --skip_run, --skip_system_deps, --accept_license',
    'set CM_SKIP_COMPILE ... for the scripts that read them',
  ],
  [
    '--git_ssh, --gh_token=T, --hf_token=T, --verify_ssl=no',
    'set CM_GIT_SSH, CM_GH_TOKEN ... (--verify_ssl: MLC scripts)',
  ],
  ['--skip_sys_utils, --skip_sudo', 'install no system packages / never use sudo'],
  ['--skip_write_test', 'run even where the working folder is not writable'],
  ['--timeout=SECONDS', 'time limit of each Python hook'],
  ['--force_new_env_keys,=K / --force_new_state_keys,=K', 'keys returned even if not new'],
  [
    '--local_env.K=V, --local_state.K=V, --local_const.K=V, --local_const_state.K=V',
    'env and state of this script only (what a dep entry gives its script)',
  ],
  ['--recursion', 'run as a dep of another script'],
];

/**
 * Runs `call` (a JS hook) while noting in `into` the keys of `input` it reads, so that a flag only
 * a customize.js reads (`i.input.my_flag`) counts as used. For that time each key not yet noted
 * is an accessor over its own value (a Proxy would make `structuredClone(i.input)` throw); writes
 * go through, and the keys are plain data again afterwards. `'k' in i.input` is not noticed.
 */
export async function whileNotingReads<T>(
  input: Dict,
  into: Set<string>,
  call: () => Promise<T>,
): Promise<T> {
  const restore: Array<() => void> = [];
  for (const key of Object.keys(input)) {
    const d = Object.getOwnPropertyDescriptor(input, key);
    if (into.has(key) || !d || !d.configurable || !d.writable) continue;
    let value: unknown = d.value;
    const get = (): unknown => {
      into.add(key);
      return value;
    };
    Object.defineProperty(input, key, {
      configurable: true,
      enumerable: d.enumerable ?? true,
      get,
      set: (v: unknown) => {
        value = v;
      },
    });
    restore.push(() => {
      // Unless the hook deleted or redefined it.
      if (Object.getOwnPropertyDescriptor(input, key)?.get !== get) return;
      Object.defineProperty(input, key, {
        value,
        writable: true,
        enumerable: d.enumerable ?? true,
        configurable: true,
      });
    });
  }
  try {
    return await call();
  } finally {
    for (const r of restore) r();
  }
}

/**
 * Warns, once per run, about each typed flag that nothing used: not the engine (RUN_FLAGS), not a
 * script of the run (`used`: their meta's inputs, keys their JS hooks read), not a global flag.
 */
export function warnUnusedFlags(
  ctx: CmContext,
  typedFlags: readonly string[],
  used: ReadonlySet<string>,
): void {
  for (const u of unknownFlags(typedFlags, [...rowKeys(RUN_FLAGS), ...used]))
    ctx.emit({ type: 'warning', text: unusedFlagWarning(u) });
}
