// The input of one `cm run script` (or of one dep's run), read once into a typed record. The
// engine's phases read this record, never the input dict; the dict itself (`raw`) is what hooks
// get as `i['input']` and what `input_mapping` reads by the names a meta gives.
import { parseArgs, splitCommandLine } from '../../core/argv.js';
import { CmError } from '../../core/errors.js';
import { isDict, mergeDicts, type Dict } from '../../core/merge.js';
import { mergeAdr } from '../../core/script/deps.js';
import { isExportableKey, isTrue, type Env } from '../../core/script/env.js';
import { splitScriptTags } from '../../core/script/variations.js';
import { tagList } from '../../core/tags.js';
import { str } from '../input.js';

export const VERSION_KEYS = [
  'version',
  'version_min',
  'version_max',
  'version_max_usable',
] as const;
export type VersionKey = (typeof VERSION_KEYS)[number];

/** Flags that become `<P>FLAG` env keys once the script's prefix (CM_ or MLC_) is known. */
const ENV_FLAGS = [
  'input',
  'output',
  'outdirname',
  'outbasename',
  'name',
  'extra_cache_tags',
  'skip_compile',
  'skip_run',
  'accept_license',
  'skip_system_deps',
  'git_ssh',
  'gh_token',
  'hf_token',
  'verify_ssl', // mlcflow only: --verify_ssl=no → MLC_VERIFY_SSL (download-file)
] as const;

export interface RunInput {
  /** The input dict itself: hooks get it, input_mapping reads it by the meta's names. */
  raw: Dict;
  /** A dep's run (or a replacement's), not the command the user typed. */
  recursion: boolean;
  /** Script names (alias or uid) given as words. */
  names: string[];
  /** The tags split into required, excluded and variations (without "_"). */
  split: { include: string[]; exclude: string[]; variations: string[] };
  help: boolean;
  fakeRun: boolean;
  fakeDeps: boolean;
  /** --quiet as given (undefined: not given, the env's <P>QUIET decides). */
  quiet: boolean | undefined;
  skipSysUtils: boolean;
  skipSudo: boolean;
  debugUid: unknown;
  /** --path (an installation to use), when a value was given. */
  path: unknown;
  /** The flags of ENV_FLAGS that were given a value. */
  envFlags: Array<[flag: string, value: unknown]>;
  /** --version, --version_min ... as given (not yet merged with env or meta). */
  versions: Partial<Record<VersionKey, string>>;
  ad: Dict;
  adr: Dict;
  /** The --adr names the user typed (for the "matched no dependency" warning). */
  adrNames: string[];
  skipCache: boolean;
  forceCache: boolean;
  isNew: boolean;
  renew: boolean;
  onlyFromCache: boolean;
  cacheExpiration: unknown;
  extraCacheTags: unknown;
  printEnv: boolean;
  printDeps: boolean;
  ignoreScriptError: boolean;
  dirty: boolean;
  shell: boolean;
  saveEnv: boolean;
  debugScriptTags: string[];
  forceNewEnvKeys: unknown[] | undefined;
  forceNewStateKeys: unknown[] | undefined;
  /** --timeout: a hook's time limit (ms). */
  timeoutMs: number | undefined;
}

/**
 * Reads a run's input once. CM_SCRIPT_EXTRA_CMD / MLC_SCRIPT_EXTRA_CMD (flags for every run,
 * deps included) are merged into the dict first, as the reference does.
 */
export function readRunInput(input: Dict, processEnv: Env): RunInput {
  const extra = processEnv['CM_SCRIPT_EXTRA_CMD'] || processEnv['MLC_SCRIPT_EXTRA_CMD'];
  if (typeof extra === 'string' && extra.trim() !== '') {
    const parsed = parseArgs(splitCommandLine(extra), () => ({}));
    delete parsed['action'];
    delete parsed['automation'];
    delete parsed['cmd'];
    mergeDicts(input, parsed, { appendLists: true, appendUnique: true });
  }
  const { names, tags } = namesAndTags(input);
  const split = splitScriptTags(tags);
  const recursion = input['recursion'] === true;
  checkEnvKeys(input, recursion);
  const versions: Partial<Record<VersionKey, string>> = {};
  for (const k of VERSION_KEYS) {
    const v = input[k];
    if (v !== undefined && v !== '' && v !== true && v !== false) versions[k] = String(v);
  }
  const timeout = Number(input['timeout']);
  return {
    raw: input,
    recursion,
    names,
    split,
    help: isTrue(input['help']) || isTrue(input['h']),
    fakeRun: isTrue(input['fake_run']) || isTrue(input['prepare']),
    fakeDeps: isTrue(input['fake_deps']),
    quiet: 'quiet' in input ? isTrue(input['quiet']) : undefined,
    skipSysUtils: isTrue(input['skip_sys_utils']),
    skipSudo: isTrue(input['skip_sudo']),
    debugUid: input['debug_uid'],
    path: input['path'] !== undefined && input['path'] !== true ? input['path'] : undefined,
    envFlags: ENV_FLAGS.filter((f) => {
      const v = input[f];
      return v !== undefined && v !== false && v !== '' && v !== null;
    }).map((f) => [f, input[f]]),
    versions,
    ad: mergeAdr(mergeAdr({}, input['ad']), input['add_deps']),
    adr: mergeAdr(mergeAdr({}, input['adr']), input['add_deps_recursive']),
    adrNames: Object.keys(
      isDict(input['adr'] ?? input['add_deps_recursive'])
        ? ((input['adr'] ?? input['add_deps_recursive']) as Dict)
        : {},
    ),
    skipCache: isTrue(input['skip_cache']),
    forceCache: isTrue(input['force_cache']),
    isNew: isTrue(input['new']),
    renew: isTrue(input['renew']),
    onlyFromCache: isTrue(input['only_execute_from_cache']),
    cacheExpiration: input['cache_expiration'],
    extraCacheTags: input['extra_cache_tags'],
    printEnv: isTrue(input['print_env']),
    printDeps: isTrue(input['print_deps']),
    ignoreScriptError: isTrue(input['ignore_script_error']),
    dirty: isTrue(input['dirty']),
    shell: isTrue(input['shell']),
    saveEnv: isTrue(input['save_env']),
    debugScriptTags: tagList(input['debug_script_tags']),
    forceNewEnvKeys: Array.isArray(input['force_new_env_keys'])
      ? input['force_new_env_keys']
      : undefined,
    forceNewStateKeys: Array.isArray(input['force_new_state_keys'])
      ? input['force_new_state_keys']
      : undefined,
    timeoutMs: timeout > 0 ? timeout * 1000 : undefined,
  };
}

/** The script named by words and tags: `cmr "get python" _venv`, `cm run script NAME --tags=...`. */
export function namesAndTags(input: Dict): { names: string[]; tags: string[] } {
  const names: string[] = [];
  let tags = tagList(input['tags']);
  const first = str(input, 'artifact');
  // Clean behaviour (QUIRK Q9): "t hello" adds to --tags instead of replacing them.
  if (first !== undefined && first !== '') {
    if (/\s/.test(first.trim())) tags = [...tags, ...first.trim().split(/\s+/)];
    // Clean behaviour: "run-mlperf,inference,_submission" (mlcr's form, and the MLPerf docs')
    // is tags; only "alias,uid" (a 16-hex uid after the one comma) names an artifact.
    else if (first.includes(',') && !/^([^:,]+:)?[^,]+,[0-9a-fA-F]{16}$/.test(first.trim()))
      tags = [
        ...tags,
        ...first
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ];
    else names.push(first);
  }
  const more = Array.isArray(input['artifacts']) ? input['artifacts'] : [];
  for (const a of more) {
    const s = String(a);
    // `cmr get-greeting _fr`: a further word that is a variation tag selects it (the reference
    // would take it as another name and drop it without a word).
    if (/[\s,]/.test(s.trim()) || /^-?_/.test(s.trim()))
      tags = [
        ...tags,
        ...s
          .trim()
          .split(/[\s,]+/)
          .filter(Boolean),
      ];
    else if (s !== '') names.push(s);
  }
  return { names, tags };
}

/** Clean behaviour: an --env key that no shell variable can have is refused, not dropped. */
function checkEnvKeys(input: Dict, recursion: boolean): void {
  if (recursion || !isDict(input['env'])) return;
  const bad = Object.keys(input['env']).filter((k) => !isExportableKey(k));
  if (bad.length > 0)
    throw new CmError(
      'bad-input',
      `--env key ${bad.map((k) => JSON.stringify(k)).join(', ')} is not an environment variable name`,
      {
        hint: 'env keys are letters, digits and "_", not starting with a digit (e.g. --env.MY_VAR=1)',
      },
    );
}
