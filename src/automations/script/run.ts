// `cm run script`: select a script, resolve its variations, env and version, run its deps, hooks
// and native script, and cache the result (spec §3). Resolution only reads metas and inputs; the
// impure steps (deps, hooks, native run, cache writes) are skipped by --dry-run, which reports the
// plan tree instead.
import { fnvHex } from '../../core/hash.js';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs, splitCommandLine } from '../../core/argv.js';
import { CmError, isCmError } from '../../core/errors.js';
import { didYouMean } from '../../core/did-you-mean.js';
import { clone, isDict, mergeDicts, type Dict } from '../../core/merge.js';
import {
  expandEnv,
  expandString,
  exportLinesWithoutSecrets,
  filterKeys,
  hasUnresolved,
  isTrue,
  isTruthy,
  isExportableKey,
  matchesAnyGlob,
  mergeEnv,
  replaceContent,
  skipReason,
  envString,
  exportedGlobs,
  runTimeConditionKeys,
  type Env,
} from '../../core/script/env.js';
import {
  appendDeps,
  DEP_KEYS,
  DEP_LISTS,
  depTags,
  mergeAdr,
  namesOf,
  updateDeps,
  type DepList,
} from '../../core/script/deps.js';
import {
  clampDefaultVersion,
  pipVersionString,
  versionViolation,
  type VersionConstraints,
} from '../../core/script/versions.js';
import { resolveVariations, splitScriptTags, variationKey } from '../../core/script/variations.js';
import { tagList } from '../../core/tags.js';
import { isSecretKey, maskUrlUserinfo, MASK, withoutSecrets } from '../../core/secrets.js';
import { metaFileFor } from '../../db/artifact.js';
import { checkScriptMeta } from '../../core/script/meta-check.js';
import { scriptMetaSource } from './meta-source.js';
import { scriptInputKeys } from '../../core/script/input-keys.js';
import { whileNotingReads } from './run-flags.js';
import { str } from '../input.js';
import {
  CACHE_FILTER,
  completeEntry,
  createEntry,
  keyHash,
  lockKey,
  lookup,
  markEntryFailed,
  parseExpiration,
  readCachedState,
  removeFailedEntries,
  scriptFingerprint,
  scriptStatSignature,
  type CacheEntry,
  type CacheKey,
} from '../cache/store.js';
import {
  foundDecision,
  isWorthSaying,
  missDecision,
  noLookupDecision,
  rejectionSentence,
  type Rejection,
} from '../cache/reasons.js';
import { hostOsInfo } from './host.js';
import type { HookModule, HookName } from './hook-types.js';
import { loadHooks } from './hooks.js';
import { pythonDirOf, resolvePython } from './python-hooks.js';
import { chooseNativeScript, executeNative, lastLines } from './native.js';
import { findScripts, type Candidate } from './select.js';
import { hasFile, listing } from '../../db/dir-listing.js';
import { ENV_PREFIX_OF } from '../../db/repo.js';
import { scriptAutomationApi } from './hook-api.js';
import type { RunNode, RunShared } from './run-shared.js';
import { holdWorkFolder } from './work-folder-lock.js';
import { lockTimeoutMs } from '../../db/lock.js';

/** Env keys never passed to deps (unless a dep's force_env_keys names them), after the prefix. */
const LOCAL_ENV_SUFFIXES = [
  'VERSION',
  'VERSION_MIN',
  'VERSION_MAX',
  'VERSION_MAX_USABLE',
  'DETECTED_VERSION',
  'INPUT',
  'OUTPUT',
  'OUTBASENAME',
  'OUTDIRNAME',
  'NAME',
  'EXTRA_CACHE_TAGS',
  'TMP_*',
  'GIT_*',
  'RENEW_CACHE_ENTRY',
];

/** Local env keys with both prefixes: a CM script's CM_VERSION stays out of an MLC dep and back. */
export const LOCAL_ENV_KEYS = Object.values(ENV_PREFIX_OF).flatMap((p) =>
  LOCAL_ENV_SUFFIXES.map((k) => p + k),
);

const TMP_FILES = [
  'tmp-run-state.json',
  'tmp-run-env.out',
  'tmp-ver.out',
  'tmp-env.sh',
  'tmp-env-all.sh',
  'tmp-state.json',
  'tmp-run.sh',
];

const VERSION_KEYS = ['version', 'version_min', 'version_max', 'version_max_usable'] as const;

/** --dry-run: the reason of a planned dep that a hook may change before it runs. */
const REWRITTEN = 'may change at run time';

/**
 * Takes out of `env` what a dep must not see (the `withhold` globs: CM_TMP_*, CM_VERSION* ...,
 * and values with unresolved <<<...>>>), except what the dep entry forces through
 * (`force_env_keys`, and the version keys with `reuse_version`); returns what was taken, to be
 * given back after the dep.
 */
function withholdFromDep(env: Env, withhold: string[], d: Dict, P: string): Env {
  const held: Env = {};
  for (const k of Object.keys(env)) {
    if (matchesAnyGlob(k, withhold) || hasUnresolved(env[k])) {
      held[k] = env[k];
      delete env[k];
    }
  }
  const force = listOf(d['force_env_keys']).map(String);
  for (const k of Object.keys(held)) {
    if (matchesAnyGlob(k, force) || (isTruthy(d['reuse_version']) && k.startsWith(`${P}VERSION`)))
      env[k] = held[k];
  }
  return held;
}

function dictOf(v: unknown): Dict {
  return isDict(v) ? v : {};
}

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Run one script. `cwd` is the caller's working folder (a parent's cache entry for deps). */
export async function runScript(
  input: Dict,
  shared: RunShared,
  cwd: string,
  node: RunNode,
): Promise<Dict> {
  const { ctx } = shared;
  const started = Date.now();
  const recursion = input['recursion'] === true;
  const say = (text: string): void => {
    if (!shared.silent) ctx.emit({ type: 'info', text: `${'  '.repeat(shared.depth)}${text}` });
  };
  const debug = (text: string): void => ctx.emit({ type: 'debug', namespace: 'script', text });

  // R1 (is the working folder writable?) is asked where a run starts to use a folder (holdFolder):
  // a run answered from the cache writes nothing there and works in a read-only folder.
  // R2: on every run, deps included (as the reference).
  const extra = ctx.env['CM_SCRIPT_EXTRA_CMD'] || ctx.env['MLC_SCRIPT_EXTRA_CMD'];
  if (extra && extra.trim() !== '') {
    const parsed = parseArgs(splitCommandLine(extra), () => ({}));
    delete parsed['action'];
    delete parsed['automation'];
    delete parsed['cmd'];
    mergeDicts(input, parsed, { appendLists: true, appendUnique: true });
  }
  const names: string[] = [];
  let tags = tagList(input['tags']);
  const first = str(input, 'artifact');
  // Clean behaviour (QUIRK Q9): "t hello" adds to --tags instead of replacing them.
  if (first !== undefined && first !== '') {
    if (/\s/.test(first.trim())) tags = [...tags, ...first.trim().split(/\s+/)];
    else names.push(first);
  }
  for (const a of listOf(input['artifacts'])) {
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
  const split = splitScriptTags(tags);

  // Clean behaviour: an --env key that no shell variable can have is refused, not dropped.
  if (!recursion && isDict(input['env'])) {
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
  // R4–R6: the shared dicts (deps get the parent's env and state objects themselves).
  const env: Env = isDict(input['env']) ? input['env'] : (input['env'] = {});
  const state: Dict = isDict(input['state']) ? input['state'] : (input['state'] = {});
  const constEnv: Env = isDict(input['const']) ? input['const'] : {};
  const constState: Dict = isDict(input['const_state']) ? input['const_state'] : {};
  const savedEnv = clone(env);
  const savedState = clone(state);
  /** const and const_state win over everything else; re-applied at each step (spec §5.2). */
  const applyConst = (): void => {
    Object.assign(env, clone(constEnv));
    mergeDicts(state, clone(constState));
  };
  if (isDict(input['local_env'])) mergeEnv(env, input['local_env']);
  if (isDict(input['local_state'])) mergeDicts(state, input['local_state']);
  if (isDict(input['local_const'])) Object.assign(constEnv, clone(input['local_const']));
  if (isDict(input['local_const_state'])) mergeDicts(constState, input['local_const_state']);
  const ad = mergeAdr(mergeAdr({}, input['ad']), input['add_deps']);
  const adr = mergeAdr(mergeAdr({}, input['adr']), input['add_deps_recursive']);

  // R8: the flags that selection needs; the rest go into env once the script (and so its repo's env
  // prefix, CM_ or MLC_) is known.
  let fakeRun = isTrue(input['fake_run']) || isTrue(input['prepare']);
  const fakeDeps = isTrue(input['fake_deps']);
  const quiet =
    'quiet' in input
      ? isTrue(input['quiet'])
      : Object.values(ENV_PREFIX_OF).some((p) => env[`${p}QUIET`] === 'yes');
  shared.quiet = quiet;

  // R19–R28: select the script.
  const query = {
    names,
    include: split.include,
    exclude: split.exclude,
    variations: split.variations,
  };
  const candidates = findScripts(ctx, query);
  const chosen = await chooseScript(
    shared,
    candidates,
    [...new Set(split.include)].sort().join(','),
  );
  const entry = chosen.entry;
  const scriptDir = entry.path;
  for (const k of scriptInputKeys(chosen.meta)) shared.inputKeys.add(k);
  const label = `${entry.alias},${entry.uid}`;
  if (isTrue(input['help']) || isTrue(input['h'])) {
    const { scriptHelpText } = await import('./help.js');
    ctx.emit({ type: 'output', text: scriptHelpText(chosen) });
    return { return: 0, help: true, path: scriptDir };
  }
  checkScriptMeta(chosen.meta, scriptMetaSource(ctx, entry));
  const meta = clone(chosen.meta);
  /** CM_ or MLC_: env keys the automation reads and sets carry the prefix of the script's repo. */
  const P = ENV_PREFIX_OF[entry.repo.format];
  /** MLC repos follow mlcflow where it differs from CM (spec §15). */
  const mlc = P === 'MLC_';
  // R8–R17: flags into env, with the script's repo's prefix.
  if (fakeRun) env[`${P}TMP_FAKE_RUN`] = 'yes';
  if (fakeDeps) env[`${P}TMP_FAKE_DEPS`] = 'yes';
  if (input['debug_uid'] !== undefined) env[`${P}TMP_DEBUG_UID`] = input['debug_uid'];
  if (isTrue(input['skip_sys_utils'])) env[`${P}SKIP_SYS_UTILS`] = 'yes';
  if (isTrue(input['skip_sudo'])) env[`${P}TMP_SKIP_SUDO`] = 'yes';
  if (shared.silent) env[`${P}TMP_SILENT`] = 'yes';
  if (shared.verbose) env[`${P}VERBOSE`] = 'yes';
  if (quiet) env[`${P}QUIET`] = 'yes';
  env[`${P}TMP_CURRENT_PATH`] = cwd;
  // R15: the host's env (CM_WINDOWS on Windows; MLC_HOST_OS_TYPE ... for MLC scripts). mlcflow
  // also sets the first run's folder as MLC_USER_RUN_DIR (env and const).
  const osInfo = hostOsInfo(entry.repo.format);
  Object.assign(env, osInfo.env);
  if (mlc) {
    if (!env['MLC_USER_RUN_DIR']) {
      // Set once for the whole run, before anything is saved: it stays in the env returned.
      env['MLC_USER_RUN_DIR'] = cwd;
      if (!recursion) savedEnv['MLC_USER_RUN_DIR'] = cwd;
    }
    if (!constEnv['MLC_USER_RUN_DIR']) constEnv['MLC_USER_RUN_DIR'] = env['MLC_USER_RUN_DIR'];
  }
  for (const k of [
    'GH_TOKEN',
    'ftp_proxy',
    'FTP_PROXY',
    'http_proxy',
    'HTTP_PROXY',
    'https_proxy',
    'HTTPS_PROXY',
    'no_proxy',
    'NO_PROXY',
    'socks_proxy',
    'SOCKS_PROXY',
  ]) {
    const v = ctx.env[k];
    if (v && (env[k] === undefined || env[k] === '')) env[k] = v;
  }
  if (input['path'] !== undefined && input['path'] !== true) env[`${P}TMP_PATH`] = input['path'];
  for (const f of [
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
    ...(mlc ? ['verify_ssl'] : []), // mlcflow: --verify_ssl=no → MLC_VERIFY_SSL (download-file)
  ]) {
    const v = input[f];
    if (v !== undefined && v !== false && v !== '' && v !== null) env[`${P}${f.toUpperCase()}`] = v;
  }
  expandEnv(env);

  env[`${P}TMP_CURRENT_SCRIPT_REPO_PATH`] = entry.repo.path;
  env[`${P}TMP_CURRENT_SCRIPT_REPO_PATH_WITH_PREFIX`] = entry.repo.artifactsRoot;
  if (!node.tags) node.tags = [...split.include, ...split.exclude.map((t) => `-${t}`)].join(',');
  node.script = entry.alias;
  node.uid = entry.uid;
  node.path = scriptDir;

  // R32–R37: the meta's lists, env, state, input mapping, const.
  const lists: Record<DepList, Dict[]> = {
    deps: listOf(meta['deps']).filter(isDict),
    prehook_deps: listOf(meta['prehook_deps']).filter(isDict),
    posthook_deps: listOf(meta['posthook_deps']).filter(isDict),
    post_deps: listOf(meta['post_deps']).filter(isDict),
  };
  const allLists = DEP_LISTS.map((l) => lists[l]);
  const newEnvKeys: unknown[] = [...listOf(meta['new_env_keys'])];
  const newStateKeys: unknown[] = [...listOf(meta['new_state_keys'])];
  let runCache = isTruthy(meta['cache']);
  let scriptName = typeof meta['script_name'] === 'string' ? meta['script_name'] : undefined;
  let defaultVersion =
    typeof meta['default_version'] === 'string' ? meta['default_version'] : undefined;
  const warnings: string[] = listOf(meta['warnings']).map(String);
  const metaCleanFiles = pathsInside(meta, 'clean_files', scriptDir);
  /** default_env (absent keys only), then env, of the meta or of a variation/version sub-meta. */
  const applyEnvOf = (m: Dict): void => {
    for (const [k, v] of Object.entries(dictOf(m['default_env'])))
      if (!(k in env)) env[k] = clone(v);
    Object.assign(env, clone(dictOf(m['env'])));
  };
  applyEnvOf(meta);
  mergeDicts(state, dictOf(meta['state']));
  const applyInputMapping = (mapping: unknown): void => {
    for (const [flag, key] of Object.entries(dictOf(mapping))) {
      if (flag in input && typeof key === 'string') {
        env[key] = clone(input[flag]);
        // CM makes a mapped flag a const too; mlcflow does not (a variation may override it).
        if (!mlc) constEnv[key] = clone(input[flag]);
      }
    }
  };
  applyInputMapping(meta['input_mapping']);
  applyConst();
  state['docker'] = clone(dictOf(meta['docker']));

  let updateMetaIfEnv: Dict[] = listOf(meta['update_meta_if_env']).filter(isDict);
  const updateStateFromMeta = (sub: Dict): void => {
    if ('cache' in sub) runCache = isTruthy(sub['cache']);
    applyEnvOf(sub);
    updateMetaIfEnv = [...listOf(sub['update_meta_if_env']).filter(isDict), ...updateMetaIfEnv];
    for (const c of updateMetaIfEnv) {
      if (skipReason(c, env) !== undefined) continue;
      Object.assign(env, clone(dictOf(c['env'])));
      mergeDicts(state, dictOf(c['state']));
      mergeDicts(state['docker'] as Dict, dictOf(c['docker']));
    }
    if (isDict(sub['const'])) {
      Object.assign(constEnv, clone(sub['const']));
      Object.assign(env, clone(sub['const']));
    }
    mergeDicts(state, dictOf(sub['state']));
    if (isDict(sub['const_state'])) {
      // Clean behaviour (QUIRK Q17): merged even when const_state was empty.
      mergeDicts(constState, sub['const_state']);
      mergeDicts(state, sub['const_state']);
    }
    for (const l of DEP_LISTS) appendDeps(lists[l], sub[l]);
    const subAd = mergeAdr(mergeAdr({}, sub['ad']), sub['add_deps']);
    if (Object.keys(subAd).length) updateDeps(allLists, subAd, env, true, entry.alias);
    applyInputMapping(sub['input_mapping']);
    expandEnv(env);
    mergeDicts(state['docker'] as Dict, dictOf(sub['docker']));
    newEnvKeys.push(...listOf(sub['new_env_keys']));
    newStateKeys.push(...listOf(sub['new_state_keys']));
  };
  // Clean behaviour (QUIRK Q20): a top-level update_meta_if_env applies, as in MLC.
  if (updateMetaIfEnv.length) updateStateFromMeta({});

  // R39: versions (input > env CM_VERSION* or MLC_VERSION* > meta), then the default version
  // (clean: before the cache lookup, so that the key holds the version the run would use).
  // MLC resolves versions before variations (so a variation's env wins over a version's); CM after.
  const versions = dictOf(meta['versions']);
  const constraints: VersionConstraints = {};
  let versionFrom = '';
  let version = '';
  const applyVersionMeta = (v: string): void => {
    const sub = versions[v];
    if (!isDict(sub)) return;
    updateStateFromMeta(sub);
    mergeAdr(adr, sub['adr']);
    mergeAdr(adr, sub['add_deps_recursive']);
    updateDeps(allLists, adr, env, false);
  };
  /** The version asked for (input, env, meta) and its `versions` sub-meta. */
  const resolveVersions = (): void => {
    for (const k of VERSION_KEYS) {
      const envKey = `${P}${k.toUpperCase()}`;
      const fromInput = input[k];
      let v = '';
      let from = '';
      if (
        fromInput !== undefined &&
        fromInput !== '' &&
        fromInput !== true &&
        fromInput !== false
      ) {
        v = String(fromInput);
        from = recursion ? 'dep' : `--${k}`;
      } else if (env[envKey] !== undefined && env[envKey] !== '') {
        v = envString(env[envKey]);
        from = `env ${envKey}`;
      } else if (typeof meta[k] === 'string' && meta[k] !== '') {
        v = meta[k] as string;
        from = `meta ${k}`;
      }
      if (v !== '') {
        env[envKey] = v;
        constraints[k] = v;
        if (k === 'version') versionFrom = from;
      }
    }
    version = constraints.version ?? '';
    if (version) applyVersionMeta(version);
  };
  /** Else the default version (a variation may set it, so this always comes after variations). */
  const applyDefaultVersion = (): void => {
    if (version || !defaultVersion) return;
    version = clampDefaultVersion(defaultVersion, constraints);
    versionFrom =
      version === defaultVersion
        ? 'default_version'
        : `default_version ${defaultVersion} clamped by version_min/max`;
    env[`${P}VERSION`] = version;
    applyVersionMeta(version);
  };
  if (mlc) resolveVersions();

  // R38: variations.
  const variations = dictOf(meta['variations']);
  if (mlc && version !== '') {
    // mlcflow: the version asked for (--version, MLC_VERSION or the meta's) selects the variation
    // _version.X when the script has one (or version.#).
    const v = `version.${version}`;
    if ((v in variations || 'version.#' in variations) && !split.variations.includes(v))
      split.variations.push(v);
  }
  let resolved: ReturnType<typeof resolveVariations>;
  try {
    resolved = resolveVariations(entry.alias, meta, split.variations, mlc);
  } catch (e) {
    if (!isCmError(e) || e.code !== 'bad-input') throw e;
    throw new CmError(e.code, e.message, {
      hint: `${e.hint ? `${e.hint}\n` : ''}variations are defined in ${metaFileFor(scriptDir)}`,
    });
  }
  for (const { meta: sub } of resolved.apply) {
    updateStateFromMeta(sub);
    if (typeof sub['script_name'] === 'string') scriptName = sub['script_name'];
    if (typeof sub['default_version'] === 'string') defaultVersion = sub['default_version'];
    if (typeof sub['warning'] === 'string') warnings.push(sub['warning']);
    mergeAdr(adr, sub['adr']);
    mergeAdr(adr, sub['add_deps_recursive']);
  }
  updateDeps(allLists, adr, env, false);
  node.variations = resolved.tags.map((t) => ({ name: `_${t}`, from: resolved.sources[t] ?? '' }));
  const groupOf = (v: string): string | undefined => {
    const k = variationKey(variations, v);
    const m = k ? variations[k.key] : undefined;
    return isDict(m) && typeof m['group'] === 'string' ? m['group'] : undefined;
  };

  if (!mlc) resolveVersions();
  applyDefaultVersion();
  node.version = version || undefined;
  node.version_from = versionFrom || undefined;

  // R40–R41: --ad (must name a dep) and --adr (recursive).
  if (Object.keys(ad).length) updateDeps(allLists, ad, env, true, entry.alias);
  updateDeps(allLists, adr, env, false);
  expandEnv(env);

  // Hooks see (and may change) the live dep lists as meta.deps ... (spec §11.2).
  for (const l of DEP_LISTS) meta[l] = lists[l];

  // R42: docker guard.
  const docker = dictOf(state['docker']);
  if (isTrue(env[`${P}RUN_STATE_DOCKER`])) {
    if ('run' in docker && !isTruthy(docker['run'])) {
      replaceContent(env, savedEnv);
      replaceContent(state, savedState);
      node.status = 'skipped';
      node.reason = 'docker.run is false inside a container';
      return { return: 0, skipped: true, new_env: {}, new_state: {}, deps: [] };
    }
    if ('real_run' in docker && !isTruthy(docker['real_run'])) {
      fakeRun = true;
      env[`${P}TMP_FAKE_RUN`] = 'yes';
    }
  }

  // R43–R45: extra cache tags, clean_output_files, whether to cache.
  const extraCacheTags = [
    ...tagList(env[`${P}EXTRA_CACHE_TAGS`]),
    ...tagList(
      typeof input['extra_cache_tags'] === 'string'
        ? expandString(input['extra_cache_tags'], env)
        : input['extra_cache_tags'],
    ),
  ];
  const nameTag = env[`${P}NAME`];
  if (typeof nameTag === 'string' && nameTag !== '')
    extraCacheTags.push(`name-${nameTag.toLowerCase()}`);
  // extra_cache_tags_from_env with the env known before the run is part of the lookup (the same
  // keys after the deps ran are added to the entry's tags at the end).
  const tagsFromEnv = (): string[] => {
    const out: string[] = [];
    for (const x of listOf(meta['extra_cache_tags_from_env'])) {
      if (!isDict(x)) continue;
      const v = env[String(x['env'])];
      if (v === undefined || v === '' || v === null) continue;
      // A secret key's value never becomes a tag (URLs are masked with every tag later).
      for (const part of envString(v).split(','))
        if (part)
          out.push(
            `deps-${String(x['prefix'] ?? '')}${isSecretKey(String(x['env'])) ? MASK : part}`,
          );
    }
    return out;
  };
  extraCacheTags.push(...tagsFromEnv());
  // cache_key_env (ours): inputs that change the result but are no variation (a URL, a checksum)
  // are part of the cache key, as one tag made from their values.
  const keyEnv = listOf(meta['cache_key_env']).map(String);
  // cache_key_files (ours): env keys naming input files (an archive, patches): their size and
  // time (and content when small) are part of the key, so an edited file is not served stale.
  const keyFiles = listOf(meta['cache_key_files']).map(String);
  if (keyEnv.length > 0 || keyFiles.length > 0)
    extraCacheTags.push(
      `env-key-${fnvHex(
        JSON.stringify([
          // A secret is not hashed into a tag (a weak hash would let it be guessed back).
          ...keyEnv.map((k) => [
            k,
            isSecretKey(k) ? MASK : maskUrlUserinfo(envString(env[k] ?? '')),
          ]),
          ...keyFiles.map((k) => [k, filesStamp(envString(env[k] ?? ''), cwd)]),
        ]),
      )}`,
    );
  if (!shared.plan)
    for (const f of pathsInside(meta, 'clean_output_files', scriptDir))
      rmSync(resolve(cwd, f), { force: true, recursive: true });
  let cache =
    (!isTrue(input['skip_cache']) && runCache) ||
    (isTrue(input['force_cache']) && isTruthy(meta['can_force_cache']));
  if (fakeRun) cache = false;
  // Checked before anything runs: a typo must not make an entry that never expires.
  const expiration = parseExpiration(input['cache_expiration'] ?? meta['cache_expiration']);

  // Cycle check: the same script with the same variations and version already on the stack.
  const stackKey = `${entry.uid || entry.path}|${[...resolved.tags].sort().join(',')}|${version}`;
  const stackLabel = `${entry.alias}${resolved.tags.length ? ` (${resolved.tags.map((t) => `_${t}`).join(',')})` : ''}`;
  if (shared.stack.some((s) => s.key === stackKey)) {
    const path = [...shared.stack.map((s) => s.label), stackLabel].join(' -> ');
    throw new CmError('dependency-cycle', `dependency cycle: ${path}`, {
      hint: 'a script depends on itself through this chain; remove or condition one of these deps',
      details: { cycle: [...shared.stack.map((s) => s.label), stackLabel] },
    });
  }
  if (shared.stack.length > 64)
    throw new CmError(
      'dependency-cycle',
      `dependencies nested more than 64 levels deep at ${stackLabel}`,
    );

  const tagsLine =
    [...split.include, ...split.exclude.map((t) => `-${t}`)].join(' ') || names.join(' ');
  const varsLine = split.variations
    .map((v) => (v.startsWith('-') ? `-_${v.slice(1)}` : `_${v}`))
    .join(' ');
  say(`* cm run script "${[tagsLine, varsLine].filter(Boolean).join(' ')}"`);
  if (shared.verbose)
    debug(
      `selected ${scriptDir}; variations ${resolved.tagsString || '(none)'}; version ${version || '(none)'}`,
    );

  const runDepsTags: string[] = [];
  const localKeys = [...LOCAL_ENV_KEYS, ...listOf(meta['local_env_keys']).map(String)];
  let hooks: HookModule | undefined | null = null;
  const getHooks = async (): Promise<HookModule | undefined> => {
    if (hooks === null)
      hooks = await loadHooks(scriptDir, () => ({
        pythonDir: pythonDirOf(ctx.internalRepoPath),
        python: () =>
          resolvePython(ctx.env, ctx.cwd, join(ctx.paths.root, '.python-resolved.json')),
        env: ctx.env,
        emit: ctx.emit,
        timeoutMs: Number(runInput['timeout']) > 0 ? Number(runInput['timeout']) * 1000 : undefined,
        cwd: () => workDir,
        // mlcflow puts the repo's automation/ folder on sys.path: 188 mlperf-automations hooks
        // do `from utils import is_true` (automation/utils.py).
        importPaths: mlc ? [join(entry.repo.artifactsRoot, 'automation')] : [],
      }));
    return hooks;
  };
  let workDir = cwd;
  const runInput = input;
  /** Working folders this run holds until its clean-up (see work-folder-lock.ts). */
  const folderReleases: Array<() => void> = [];
  const holdFolder = async (dir: string): Promise<() => void> =>
    holdWorkFolder(dir, shared.heldFolders, {
      onWait: (pid) => say(`  waiting for another cm run in ${dir} (pid ${pid})`),
      timeoutMs: lockTimeoutMs(ctx.env),
      mustWrite: !shared.skipWriteTest,
      cwd: ctx.cwd,
    });
  const releaseFolders = (): void => {
    for (const r of folderReleases.splice(0).reverse()) r();
  };

  /** --dry-run: the source of the script's hooks (what they may do at run time). */
  let hookSource: string | undefined;
  const hookText = (): string =>
    (hookSource ??= ['customize.py', 'customize.js', 'customize.mjs']
      .filter((f) => hasFile(scriptDir, f))
      .map((f) => readFileSync(join(scriptDir, f), 'utf8'))
      .join('\n'));
  /** --dry-run: the hooks may change the deps that come after preprocess (update_deps). */
  const hookRewritesDeps = (): boolean => hookText().includes('update_deps');
  // Run the deps of one list (§6.3).
  const runDeps = async (
    listName: DepList,
    fromCache: boolean,
    withhold: string[],
  ): Promise<void> => {
    for (const d0 of lists[listName]) {
      if (tagList(d0['tags']).length === 0) continue;
      for (const n of namesOf(d0)) shared.depNames.add(n);
      const child: RunNode = {
        tags: tagList(d0['tags']).join(','),
        list: listName,
        status: 'ran',
        deps: [],
      };
      if (fromCache && !isTruthy(d0['dynamic'])) continue;
      const unknown = shared.plan ? runTimeConditionKeys(d0, shared.runTimeKeys, constEnv) : [];
      if (unknown.length > 0) {
        child.status = 'depends';
        child.reason = `depends on run-time value ${unknown.join(', ')}`;
        node.deps.push(child);
        continue;
      }
      const reason = skipReason(d0, env, P);
      if (reason !== undefined) {
        child.status = 'skipped';
        child.reason = reason;
        node.deps.push(child);
        continue;
      }
      // Clean behaviour (QUIRK Q15): the dep entry is not consumed; a copy is used.
      const d = clone(d0);
      const denv = dictOf(d['env']);
      for (const [k, v] of Object.entries(denv))
        if (typeof v === 'string') denv[k] = expandString(v, { ...env, ...denv });
      const childTags = depTags(d, env, { tagsString: resolved.tagsString, groupOf });
      child.tags = childTags;
      // mlcflow writes a dep's effective tags and expanded env into the dep list it reports (-j).
      if (mlc) {
        d0['tags'] = childTags;
        if (isDict(d0['env'])) d0['env'] = clone(denv);
      }
      const held = withholdFromDep(env, withhold, d, P);
      runDepsTags.push(childTags);
      node.deps.push(child);
      try {
        if (fakeDeps) {
          child.status = 'recorded';
          continue;
        }
        const ii: Dict = {
          action: 'run',
          automation: 'script',
          tags: childTags,
          recursion: true,
          env,
          state,
          const: clone(constEnv),
          const_state: clone(constState),
          adr: clone(adr),
          local_env: denv,
          local_state: dictOf(d['state']),
          local_const: dictOf(d['const']),
          local_const_state: dictOf(d['const_state']),
        };
        if (isTrue(runInput['quiet'])) ii['quiet'] = true;
        if (shared.silent) ii['silent'] = true;
        if (shared.verbose) ii['v'] = true;
        for (const [k, v] of Object.entries(d)) {
          if (DEP_KEYS.has(k)) continue;
          if (k === 'adr' || k === 'add_deps_recursive') mergeAdr(ii['adr'] as Dict, v);
          else if (isDict(v) && isDict(ii[k]))
            mergeDicts(ii[k] as Dict, v, { appendLists: true, appendUnique: true });
          else ii[k] = clone(v);
        }
        shared.depth++;
        shared.stack.push({ key: stackKey, label: stackLabel });
        try {
          await runScript(ii, shared, workDir, child);
          if (shared.plan && !fromCache && listName !== 'deps' && hookRewritesDeps())
            child.reason ??= `${REWRITTEN}: the hooks of "${entry.alias}" call update_deps`;
        } catch (e) {
          if (
            isCmError(e) &&
            (e.code === 'script-not-found' || e.code === 'variation-unknown') &&
            e.details?.['parent'] === undefined
          ) {
            const nm = namesOf(d0);
            throw new CmError(
              e.code,
              `dependency "${childTags}" of script "${entry.alias}" (${listName}${nm.length ? `, names ${nm.join(',')}` : ''}) matched no script: ${e.message}`,
              {
                hint: `${e.hint ? `${e.hint}\n` : ''}the dep is in ${metaFileFor(scriptDir)} (${listName}, or a variation's ${listName})${nm.length ? `; --adr.${nm[0]}.tags=... changes its tags` : ''}`,
                details: { parent: label, dep: d0 },
              },
            );
          }
          throw e;
        } finally {
          shared.stack.pop();
          shared.depth--;
        }
      } finally {
        // QUIRK kept for CM repos, only under --fake_run --fake_deps (nothing runs then): the
        // reference does not give the withheld keys (CM_TMP_*, CM_VERSION*, CM_OUTDIRNAME, values
        // with <<<...>>>) back, so its -j env lacks them, later dep lists see no CM_TMP_FAKE_RUN,
        // and no --outdirname folder is made. With --fake_deps alone they are given back.
        if (!fakeDeps || !fakeRun || mlc) Object.assign(env, held);
      }
      expandEnv(env);
      applyConst();
    }
  };

  const hookInput = (extra: Dict = {}): Dict => ({
    input: runInput,
    automation: scriptAutomationApi(shared, {
      scriptDir,
      env,
      state,
      meta,
      constEnv,
      workDir: () => workDir,
      detectVersion: async (e: Env) => callHook('detect_version', e),
      prefix: P,
    }),
    artifact: {
      path: scriptDir,
      meta: chosen.meta,
      original_meta: chosen.meta,
      repo_path: entry.repo.path,
      uid: entry.uid,
      alias: entry.alias,
    },
    customize: dictOf(meta['customize']),
    os_info: osInfo,
    recursion_spaces: '  '.repeat(shared.depth),
    script_tags: split.include,
    variation_tags: split.variations,
    env,
    state,
    meta,
    const: constEnv,
    ...extra,
  });
  const callHook = async (name: HookName, envForHook: Env = env): Promise<Dict | undefined> => {
    const h = await getHooks();
    if (!h || !h.has(name)) return undefined;
    const previous = process.cwd();
    try {
      process.chdir(workDir);
    } catch {
      // keep the current folder
    }
    ctx.secrets.addFrom(envForHook);
    let r: Dict;
    try {
      debug(`${h.file}: ${name}()`);
      const extra: Dict = { env: envForHook };
      if (name !== 'detect_version')
        extra['run_script_input'] = {
          path: scriptDir,
          env: envForHook,
          state,
          meta,
          script_name: scriptName,
          work_dir: workDir,
          os_info: osInfo,
          const: constEnv,
        };
      // What a JS hook of the top script reads from the user's input counts as used (deps get
      // inputs of their own; a Python hook gets a copy: its script's meta names its inputs).
      const call = (): Promise<Dict> => h.call(name, hookInput(extra));
      r =
        !recursion && h.language === 'javascript'
          ? await whileNotingReads(runInput, shared.inputKeys, call)
          : await call();
    } finally {
      process.chdir(previous);
    }
    // A hook may have replaced meta.deps (a Python hook sends the whole meta back).
    for (const l of DEP_LISTS)
      if (Array.isArray(meta[l])) lists[l] = (meta[l] as unknown[]).filter(isDict);
    const rc = typeof r['return'] === 'number' ? r['return'] : 0;
    if (rc > 0) {
      const error = String(r['error'] ?? 'no error message');
      const where = `${name}() of script "${entry.alias}"`;
      // 16 is an answer, "not found" (no python3 satisfies >= 99: found ...), whole as it is.
      throw new CmError('hook-failed', rc === 16 ? error : `${where} failed: ${error}`, {
        returnCode: rc,
        // A hint of the failed call (a download's "running it again resumes") comes first.
        hint: `${typeof r['hint'] === 'string' ? `${r['hint']}\n` : ''}${rc === 16 ? `from ${where}: ` : 'in '}${h.file}`,
        details: { result: r },
      });
    }
    return r;
  };

  // R47: cache lookup (lock-free; an entry is trusted only once complete).
  const cachedTags = [...new Set([...split.include, ...tagList(meta['tags'])])];
  // Tags are stored (entry meta, the index) and shown: a URL's password never goes into one. The
  // key's parts and the entry's tag lists are masked where they are made (below, and in finish).
  const key: CacheKey = {
    scriptUid: entry.uid,
    scriptAlias: entry.alias,
    variations: resolved.tags.map(maskUrlUserinfo).sort(),
    version,
    extraTags: extraCacheTags.map(maskUrlUserinfo),
  };
  let hit: CacheEntry | undefined;
  let renewEntry: CacheEntry | undefined;
  let userWantsNew = false;
  const rejections: Rejection[] = [];
  let wroteWrapper = false;
  let hookVersion: string | undefined;
  const findHit = async (): Promise<CacheEntry | undefined> => {
    const r = lookup(ctx, key, constraints, scriptDir);
    rejections.push(...r.rejected);
    for (const x of r.rejected)
      if (isWorthSaying(x.code))
        say(`  cache entry ${x.path} is not reused: ${rejectionSentence(x)}; running again`);
      else if (shared.verbose) debug(`cache entry ${x.path} not used: ${rejectionSentence(x)}`);
    if (r.found.length > 0 && !shared.plan) r.found = await validateEntries(r.found);
    if (r.found.length === 0) return undefined;
    if (r.found.length > 1 && !shared.quiet && ctx.isInteractive) {
      const lines = r.found.map(
        (f, i) =>
          `${i}) ${f.entry.path} (${f.entry.tags.join(',')})${f.version ? ` (Version ${f.version})` : ''}`,
      );
      const answer = await ctx.ask(
        `Select a cache entry of "${entry.alias}" (-1 to make a new one):\n${lines.join('\n')}\nYour choice [0]: `,
      );
      const n = Number.parseInt(answer, 10);
      if (n === -1) {
        userWantsNew = true;
        return undefined;
      }
      return r.found[Number.isInteger(n) && n >= 0 && n < r.found.length ? n : 0];
    }
    return r.found[0];
  };
  // validate_cache.sh (if the script has one) runs in each candidate entry with the entry's env;
  // a failure, or a detected version that differs from the entry's, drops the entry.
  const rejectedPaths = new Set<string>();
  const validateEntries = async (found: CacheEntry[]): Promise<CacheEntry[]> => {
    if (found.length === 0 || shared.plan) return found;
    const script = chooseNativeScript(scriptDir, 'validate_cache', env, shared.os, P);
    if (!script) return found;
    const kept: CacheEntry[] = [];
    const previous = workDir;
    try {
      for (const f of found) {
        const venv: Env = mergeEnv(clone(env), dictOf(f.state['new_env']));
        workDir = f.entry.path;
        const releaseEntry = await holdFolder(workDir);
        try {
          const r = await executeNative({
            workDir,
            script,
            scriptDir,
            env: venv,
            state,
            os: shared.os,
            processEnv: ctx.env,
            emit: ctx.emit,
            prefix: P,
          });
          if (r.exitCode !== 0) {
            const x: Rejection = {
              code: 'invalid',
              path: f.entry.path,
              detail: `${script} failed (exit status ${r.exitCode})`,
            };
            rejections.push(x);
            say(`  cache entry ${x.path} is not reused: ${rejectionSentence(x)}`);
            continue;
          }
          mergeEnv(venv, r.envOut);
          const d = await callHook('detect_version', venv);
          const v = typeof d?.['version'] === 'string' ? d['version'] : '';
          if (v && f.version && v !== f.version) {
            rejectedPaths.add(f.entry.path);
            const x: Rejection = {
              code: 'other-version',
              path: f.entry.path,
              detail: `it holds version ${f.version}, ${v} is installed now`,
            };
            rejections.push(x);
            say(`  cache entry ${x.path} is not reused: ${rejectionSentence(x)}`);
            continue;
          }
          kept.push(f);
        } finally {
          releaseEntry();
        }
      }
    } finally {
      workDir = previous;
    }
    return kept;
  };
  const wantCacheLookup =
    (cache || (shared.plan && runCache && !isTrue(input['skip_cache']))) && !isTrue(input['new']);
  if (wantCacheLookup) {
    const found = await findHit();
    if (found && isTrue(input['renew'])) renewEntry = found;
    else hit = found;
    node.cache = found
      ? foundDecision(found.entry.path, renewEntry !== undefined)
      : userWantsNew
        ? { status: 'miss', reason: 'new', detail: 'a new entry was chosen' }
        : missDecision(rejections);
  } else
    node.cache = noLookupDecision({
      isNew: isTrue(input['new']),
      isCacheable: runCache || cache,
      isFakeRun: fakeRun,
      skipCache: isTrue(input['skip_cache']),
    });

  let cacheState: Dict | undefined;
  const postWithheld = [...localKeys, ...listOf(meta['clean_env_keys_post_deps']).map(String)];
  // R47 hit: dynamic deps, the cached env/state, dynamic post deps (the same after a lock wait).
  const useHit = async (h: CacheEntry, note: string): Promise<void> => {
    node.status = shared.plan ? 'will-reuse' : 'cached';
    node.cache_entry = h.entry.path;
    await runDeps('deps', true, localKeys);
    await runDeps('prehook_deps', true, localKeys);
    if (!shared.plan) say(`  ! load ${join(h.entry.path, 'cm-cached-state.json')}${note}`);
    cacheState = h.state;
    if (typeof cacheState['version'] === 'string' && cacheState['version']) {
      version = cacheState['version'];
      node.version = version;
      if (!node.version_from) node.version_from = 'cache entry';
    }
    mergeEnv(env, dictOf(cacheState['new_env']));
    mergeDicts(state, dictOf(cacheState['new_state']), { appendLists: true, appendUnique: true });
    if (!fakeRun) {
      await runDeps('posthook_deps', true, localKeys);
      await runDeps('post_deps', true, postWithheld);
    }
  };
  /** --dry-run: what this script will let out to its caller is known only once it has run. */
  const planExports = (): void => {
    shared.runTimeKeys.push(...exportedGlobs(listOf(meta['new_env_keys']), env));
  };
  // --dry-run: a script planned earlier in this run with the same key makes the entry this one reuses.
  const plannedKey = JSON.stringify([key, constraints]);
  const madeEarlier =
    shared.plan && wantCacheLookup && !hit && !renewEntry && shared.plannedKeys.has(plannedKey);
  const usePlanned = async (): Promise<void> => {
    node.status = 'will-reuse';
    node.reason = 'made earlier in this run';
    node.cache = { status: 'hit', reason: 'reused', detail: 'the entry made earlier in this run' };
    for (const list of ['deps', 'prehook_deps', 'posthook_deps'] as const)
      await runDeps(list, true, localKeys);
    await runDeps('post_deps', true, postWithheld);
    planExports();
  };
  let entryPath: string | undefined;
  let lock: { release(): void } | undefined;
  let versionTag = version ? `version-${version}` : '';
  const addedTags: string[] = [];
  const depsDicts: Dict[] = [];
  try {
    if (hit) {
      await useHit(hit, '');
    } else if (madeEarlier) {
      await usePlanned();
    } else {
      if (shared.plan && cache) shared.plannedKeys.add(plannedKey);
      if (cache && !shared.plan) {
        if (isTrue(input['only_execute_from_cache']))
          throw new CmError(
            'cache-miss',
            `No valid cache entry found for [${[...cachedTags, ...key.variations.map((v) => `_${v}`)].join(',')}]`,
            {
              hint: 'run it once without --only_execute_from_cache to create the entry',
            },
          );
        // A hook that cannot even be loaded fails before any entry is made.
        if (!fakeRun) await getHooks();
        lock = await lockKey(ctx, key, () =>
          say(`  waiting for another cm process running "${entry.alias}" with the same cache key`),
        );
        // Another process may have completed (or failed) an entry while we waited.
        ctx.index.markStale();
        if (!isTrue(input['new']) && !renewEntry && !userWantsNew) {
          const fresh = lookup(ctx, key, constraints, scriptDir).found.filter(
            (f) => !rejectedPaths.has(f.entry.path),
          );
          const again = (await validateEntries(fresh))[0];
          if (again) {
            lock.release();
            lock = undefined;
            hit = again;
            node.cache = foundDecision(again.entry.path, false);
            await useHit(again, ' (made by another process)');
          }
        }
        if (!hit) {
          removeFailedEntries(ctx, key);
          const entryTags = [
            'tmp',
            ...cachedTags,
            ...key.variations.map((v) => `_${v}`),
            `script-artifact-${entry.uid}`,
            ...extraCacheTags,
          ];
          if (versionTag) entryTags.push(versionTag);
          const entryMeta: Dict = {
            tags: [...new Set(entryTags.map(maskUrlUserinfo))],
            associated_script_artifact: label,
            associated_script_artifact_uid: entry.uid,
            cache_key: keyHash(key),
            script_fingerprint: scriptFingerprint(scriptDir),
            script_stat_signature: scriptStatSignature(scriptDir),
            cache_created: Date.now(),
          };
          if (version) entryMeta['version'] = version;
          if (renewEntry) {
            entryPath = renewEntry.entry.path;
            completeEntry(ctx, entryPath, readCachedState(entryPath), { ...entryMeta });
            markEntryFailed(ctx, entryPath);
            env[`${P}RENEW_CACHE_ENTRY`] = 'yes';
          } else entryPath = createEntry(ctx, entryMeta);
          workDir = entryPath;
          node.cache_entry = entryPath;
        }
      }
      if (!hit) await runFresh();
    }
  } catch (e) {
    if (entryPath && !shared.plan) markEntryFailed(ctx, entryPath);
    lock?.release();
    releaseFolders();
    if (e instanceof Skipped) {
      // Clean behaviour (QUIRK Q8): a skipped script leaves the caller's env as it was.
      replaceContent(env, savedEnv);
      replaceContent(state, savedState);
      node.status = 'skipped';
      node.reason = 'preprocess returned skip';
      node.ms = Date.now() - started;
      return { return: 0, skipped: true, new_env: {}, new_state: {}, deps: runDepsTags };
    }
    if (e instanceof Replaced) {
      // The caller gets its own env plus what the replacement exported.
      replaceContent(env, mergeEnv(clone(savedEnv), dictOf(e.result['new_env'])));
      replaceContent(
        state,
        mergeDicts(clone(savedState), dictOf(e.result['new_state']), {
          appendLists: true,
          appendUnique: true,
        }),
      );
      return { ...e.result, env, state };
    }
    // A failed run leaves the caller's env and state as they were.
    replaceContent(env, savedEnv);
    replaceContent(state, savedState);
    throw e;
  }

  async function runFresh(): Promise<void> {
    const runTimeMark = shared.runTimeKeys.length;
    node.status = shared.plan ? 'will-run' : fakeRun ? 'fake-run' : 'ran';
    for (const w of warnings) ctx.emit({ type: 'warning', text: `${entry.alias}: ${w}` });
    env[`${P}TMP_CURRENT_SCRIPT_PATH`] = scriptDir;
    const hooksActive = !fakeRun && !shared.plan;
    if (hooksActive && mayRunInFolder(scriptDir)) folderReleases.push(await holdFolder(workDir));
    if (hooksActive && (!('predeps' in meta) || isTruthy(meta['predeps'])))
      await callHook('predeps');
    await runDeps('deps', false, localKeys);
    expandEnv(env);
    // Stale tmp files matter only to something that runs here: a native script or a hook.
    const runsHere =
      chooseNativeScript(scriptDir, scriptName ?? 'run', env, shared.os, P) !== undefined ||
      ['customize.js', 'customize.mjs', 'customize.py'].some((f) => hasFile(scriptDir, f));
    if (!shared.plan && (runsHere || metaCleanFiles.length > 0))
      removeFiles(workDir, [...metaCleanFiles, ...TMP_FILES]);
    env[`${P}TMP_PIP_VERSION_STRING`] = pipVersionString(
      constraints.version ? constraints : { ...constraints, version: version || undefined },
    );
    applyConst();
    const outdir = env[`${P}OUTDIRNAME`];
    if (typeof outdir === 'string' && outdir !== '' && !shared.plan) {
      const abs = isAbsolute(outdir)
        ? outdir
        : resolve(recursion ? workDir : envString(env[`${P}TMP_CURRENT_PATH`]), outdir);
      env[`${P}OUTDIRNAME`] = abs;
      mkdirSync(abs, { recursive: true });
      workDir = abs;
      if (hooksActive && mayRunInFolder(scriptDir)) folderReleases.push(await holdFolder(workDir));
    }
    if (hooksActive) {
      const r = await callHook('preprocess');
      if (r && isTrue(r['skip'])) {
        if (isDict(r['script'])) {
          const other: Dict = {
            ...clone(r['script']),
            action: 'run',
            automation: 'script',
            recursion: true,
            env,
            state,
            const: constEnv,
            const_state: constState,
            adr,
          };
          const child: RunNode = {
            tags: String(r['script']['tags'] ?? ''),
            status: 'ran',
            deps: [],
          };
          node.deps.push(child);
          node.status = 'skipped';
          node.reason = 'preprocess ran another script instead';
          shared.depth++;
          shared.stack.push({ key: stackKey, label: stackLabel });
          try {
            throw new Replaced(await runScript(other, shared, workDir, child));
          } finally {
            shared.stack.pop();
            shared.depth--;
          }
        }
        throw new Skipped();
      }
      if (r) takeHookVersion(r);
    }
    // --dry-run: from here on, what this script's hooks and native step set is unknown.
    if (shared.plan && runsHere) shared.runTimeKeys.push('*');
    await runDeps('prehook_deps', false, localKeys);
    if (hooksActive) {
      for (const [from, to] of Object.entries(dictOf(meta['env_key_mappings']))) {
        for (const k of Object.keys(env))
          if (k.startsWith(from)) env[`${String(to)}${k.slice(from.length)}`] = env[k];
      }
      const base = scriptName ?? 'run';
      const script = chooseNativeScript(scriptDir, base, env, shared.os, P);
      if (!script && scriptName !== undefined) {
        throw new CmError(
          'file-not-found',
          `script "${base}${shared.os.bat_ext}" not found in ${scriptDir} - please add one`,
          {
            hint: `script_name "${base}" is set by the meta or a variation of "${entry.alias}"`,
          },
        );
      }
      if (script) {
        applyConst();
        if (isTrue(runInput['print_env']))
          ctx.emit({
            type: 'info',
            text: Object.keys(env)
              .sort()
              .map((k) => `${k}=${envString(env[k])}`)
              .join('\n'),
          });
        const debugTags = tagList(runInput['debug_script_tags']);
        const keep =
          debugTags.length > 0 && debugTags.every((t) => tagList(meta['tags']).includes(t));
        wroteWrapper = true;
        ctx.secrets.addFrom(env);
        const r = await executeNative({
          workDir,
          script,
          scriptDir,
          env,
          state,
          os: shared.os,
          processEnv: ctx.env,
          emit: ctx.emit,
          prefix: P,
          keepCopyAs: keep ? 'tmp-run-without-cm.sh' : undefined,
          onStart: (wrapper) => {
            say(`  ! cd ${workDir}`);
            say(`  ! call ${script} from ${wrapper}`);
          },
        });
        if (r.exitCode !== 0 && !isTrue(runInput['ignore_script_error'])) {
          const dumps = listOf(meta['print_files_if_script_error'])
            .map((f) => join(workDir, String(f)))
            .filter(existsSync);
          throw new CmError(
            'script-failed',
            `Portable CM script failed (name = ${entry.alias}, script = ${script}, exit status = ${r.exitCode})`,
            {
              hint: `last lines of its output:\n${lastLines(r.tail) || '(no output)'}${dumps.length ? `\nsee also ${dumps.join(', ')}` : ''}\nworking folder: ${workDir}`,
              details: { script, exit_status: r.exitCode, work_dir: workDir },
            },
          );
        }
        mergeDicts(state, r.stateOut);
        mergeEnv(env, r.envOut);
      }
      await runDeps('posthook_deps', false, localKeys);
      applyConst();
      const r = await callHook('postprocess');
      if (r) takeHookVersion(r);
      // Clean behaviour (QUIRK Q7): post deps do not get the local keys either.
      await runDeps('post_deps', false, postWithheld);
    } else if (shared.plan) {
      if (/['"]skip['"]\s*:|\bskip\s*:/.test(hookText()))
        node.reason ??= `may be skipped at run time: the preprocess of "${entry.alias}" can return skip`;
      // A JS dry_run hook tells what the script would run (a Python one is not started for it,
      // and a customize.js that does not mention dry_run is not even loaded).
      const js = join(scriptDir, 'customize.js');
      const h =
        hasFile(scriptDir, 'customize.js') && readFileSync(js, 'utf8').includes('dry_run')
          ? await getHooks()
          : undefined;
      if (h?.language === 'javascript' && h.has('dry_run')) {
        const r = await callHook('dry_run');
        const commands = listOf(r?.['commands']).map(String);
        if (commands.length > 0) node.commands = commands;
        for (const c of commands) say(`  would run: ${c}`);
      }
      await runDeps('posthook_deps', false, localKeys);
      await runDeps('post_deps', false, postWithheld);
      shared.runTimeKeys.length = runTimeMark;
      if (runsHere) planExports();
    }
    addedTags.push(...tagsFromEnv());
  }

  function takeHookVersion(r: Dict): void {
    if (typeof r['version'] === 'string' && r['version'] !== '') {
      versionTag = `version-${r['version']}`;
      hookVersion = r['version'];
      if (!version) node.version_from = 'detected';
    }
    for (const t of tagList(r['add_extra_cache_tags'])) addedTags.push(t);
  }

  return await finish()
    .catch((e: unknown) => {
      if (entryPath && !shared.plan) markEntryFailed(ctx, entryPath);
      replaceContent(env, savedEnv);
      replaceContent(state, savedState);
      throw e;
    })
    .finally(() => {
      lock?.release();
      releaseFolders();
    });

  async function finish(): Promise<Dict> {
    // F1–F6: the result env/state; the caller's dicts hold snapshot ⊕ exports.
    const detected = envString(
      env[`${P}DETECTED_VERSION`] ?? hookVersion ?? env[`${P}VERSION`] ?? '',
    );
    const finalVersion = (detected !== 'None' && detected) || version;
    const dependent = env[`${P}GET_DEPENDENT_CACHED_PATH`];
    applyConst();
    const envKeys = Array.isArray(runInput['force_new_env_keys'])
      ? runInput['force_new_env_keys']
      : newEnvKeys;
    const stateKeys = Array.isArray(runInput['force_new_state_keys'])
      ? runInput['force_new_state_keys']
      : newStateKeys;
    const newEnv = filterKeys(env, envKeys);
    const newState = filterKeys(state, stateKeys);
    const finalEnv = mergeEnv(clone(savedEnv), newEnv);
    const finalState = mergeDicts(clone(savedState), newState, {
      appendLists: true,
      appendUnique: true,
    });
    replaceContent(env, finalEnv);
    replaceContent(state, finalState);
    if (finalVersion && !constraints.version && !hit && !shared.plan) {
      const bad = versionViolation(finalVersion, constraints);
      if (bad)
        throw new CmError('version-mismatch', `script "${entry.alias}": detected ${bad}`, {
          hint: 'relax --version_min/--version_max, or point the script to another installation (--path=...)',
        });
    }
    // F7: complete the cache entry (state first, then the meta without `tmp`).
    if (entryPath && !shared.plan) {
      for (const d of lists.deps) depsDicts.push(d);
      const tagsNow = [
        ...cachedTags,
        ...key.variations.map((v) => `_${v}`),
        `script-artifact-${entry.uid}`,
        ...extraCacheTags,
        ...addedTags,
      ];
      if (versionTag) tagsNow.push(versionTag);
      // The key's version stays findable even when detection reported a longer one (3.10 → 3.10.1).
      if (key.version) tagsNow.push(`version-${key.version}`);
      const expires = expiration;
      const entryMeta: Dict = { tags: [...new Set(tagsNow.map(maskUrlUserinfo))] };
      if (finalVersion) entryMeta['version'] = finalVersion;
      if (typeof dependent === 'string' && dependent !== '' && resolve(dependent) !== entryPath)
        entryMeta['dependent_cached_path'] = dependent;
      if (expires) entryMeta['cache_expires'] = Date.now() + expires;
      // What lookups check, beside the reference's keys: one file read per candidate entry.
      const cacheInfo: Dict = {
        version: finalVersion || '',
        cache_key: keyHash(key),
        script_fingerprint: scriptFingerprint(scriptDir),
        script_stat_signature: scriptStatSignature(scriptDir),
        cache_created: Date.now(),
      };
      for (const k of ['dependent_cached_path', 'cache_expires'])
        if (entryMeta[k] !== undefined) cacheInfo[k] = entryMeta[k];
      // Secrets never reach the disk: a reuse gets them from its own inputs again.
      const cachedState = {
        new_env: withoutSecrets(newEnv),
        new_state: withoutSecrets(newState),
        deps: withoutSecrets(depsDicts),
        version: finalVersion || '',
        cache_info: cacheInfo,
      };
      writeFileSync(
        join(entryPath, 'tmp-env.sh'),
        [...shared.os.start_script, ...exportLinesWithoutSecrets(newEnv).lines, ''].join('\n'),
      );
      writeFileSync(
        join(entryPath, 'tmp-env-all.sh'),
        [...shared.os.start_script, ...exportLinesWithoutSecrets(env).lines, ''].join('\n'),
      );
      completeEntry(ctx, entryPath, cachedState, entryMeta);
    }
    lock?.release();
    lock = undefined;
    // F8–F9: clean the working folder of a non-cached run; --save_env / --shell.
    if (
      !cache &&
      !shared.plan &&
      !isTrue(runInput['dirty']) &&
      !isTrue(runInput['shell']) &&
      !fakeRun &&
      node.status === 'ran'
    ) {
      if (wroteWrapper || metaCleanFiles.length > 0)
        removeFiles(workDir, [...metaCleanFiles, ...TMP_FILES]);
    }
    if (!recursion && (isTrue(runInput['save_env']) || isTrue(runInput['shell'])) && !shared.plan) {
      const prefix = Array.isArray(state['script_prefix'])
        ? state['script_prefix'].map(String)
        : [];
      writeFileSync(
        join(cwd, 'tmp-env.sh'),
        [...shared.os.start_script, ...prefix, ...exportLinesWithoutSecrets(newEnv).lines, ''].join(
          '\n',
        ),
      );
      say(`  env saved to ${join(cwd, 'tmp-env.sh')}`);
    }
    if (!recursion && !shared.plan && node.status !== 'cached') {
      // An --adr.NAME that no dep of the whole run carries is most likely a typo.
      for (const name of Object.keys(dictOf(runInput['adr'] ?? runInput['add_deps_recursive']))) {
        if (shared.depNames.has(name)) continue;
        const dym = didYouMean(name, shared.depNames);
        ctx.emit({
          type: 'warning',
          text: `--adr.${name} matched no dependency of this run${dym ? `; ${dym}` : shared.depNames.size ? `; dep names: ${[...shared.depNames].join(', ')}` : ''}`,
        });
      }
    }
    if (!recursion && isTrue(runInput['print_deps'])) {
      // On a cache hit the deps did not run: those recorded in the entry are shown.
      const shown = hit
        ? listOf(hit.state['deps'])
            .filter(isDict)
            .map((d) => tagList(d['tags']).join(','))
        : runDepsTags;
      for (const t of shown) ctx.emit({ type: 'output', text: `cm run script --tags=${t}` });
      newState['print_deps'] = shown.map((t) => `cm run script --tags=${t}`);
    }
    if (!shared.silent && !recursion && !shared.plan) {
      for (const [k, labelText] of Object.entries(dictOf(meta['print_env_at_the_end']))) {
        if (newEnv[k] !== undefined)
          ctx.emit({ type: 'info', text: `${String(labelText) || k}: ${envString(newEnv[k])}` });
      }
    }
    node.version = finalVersion || node.version;
    node.ms = Date.now() - started;
    const result: Dict = {
      return: 0,
      env,
      new_env: newEnv,
      state,
      new_state: newState,
      // CM reports the tags of the deps that ran; mlcflow the script's resolved dep list.
      deps: mlc ? clone(lists.deps) : runDepsTags,
    };
    if (finalVersion) result['version'] = finalVersion;
    const entryUsed = entryPath ?? hit?.entry.path;
    if (entryUsed) result['cache_entry'] = entryUsed;
    return result;
  }
}

/**
 * The files a meta key names for removal in the working folder: each must stay inside it (no
 * absolute path, no ".."), since a pulled repo's meta must not delete anything else.
 */
function pathsInside(meta: Dict, key: string, scriptDir: string): string[] {
  const out = listOf(meta[key]).map(String);
  for (const f of out) {
    if (
      f.trim() !== '' &&
      !isAbsolute(f) &&
      !/^[a-zA-Z]:/.test(f) &&
      !f.split(/[\\/]/).includes('..')
    )
      continue;
    throw new CmError(
      'bad-meta',
      `${metaFileFor(scriptDir)}: ${key} entry ${JSON.stringify(f)} must be a path inside the working folder`,
      {
        hint: 'name files relative to the working folder, without ".." (e.g. result.json)',
        details: { key, value: f },
      },
    );
  }
  return out;
}

/** Whether a script has anything that runs in its working folder: a native script or hooks. */
function mayRunInFolder(scriptDir: string): boolean {
  for (const name of listing(scriptDir)) if (/\.(sh|bat|js|mjs|py)$/.test(name)) return true;
  return false;
}

/** Delete those of `names` that exist in `dir` (one directory read instead of a stat per name). */
function removeFiles(dir: string, names: readonly string[]): void {
  let present: Set<string>;
  try {
    present = new Set(readdirSync(dir));
  } catch {
    return;
  }
  for (const n of names) {
    const first = n.split(/[\\/]/)[0]!;
    if (present.has(first)) rmSync(join(dir, n), { force: true, recursive: true });
  }
}

/** Thrown inside a run when preprocess asked to skip the script (not an error). */
export class Skipped extends Error {}
/** Thrown inside a run when preprocess ran another script instead; carries its result. */
export class Replaced extends Error {
  constructor(readonly result: Dict) {
    super('replaced');
  }
}

async function chooseScript(
  shared: RunShared,
  list: Candidate[],
  tagsKey: string,
): Promise<Candidate> {
  if (list.length === 1) return list[0]!;
  // A script of a repo the user added or pulled wins over the built-in one of the same tags,
  // even when the built-in one already has a cache entry.
  const own = list.filter((c) => c.entry.repo.kind !== 'internal');
  if (own.length > 0 && own.length < list.length) return chooseScript(shared, own, tagsKey);
  const remembered = shared.remembered.get(tagsKey);
  if (remembered) {
    const r = list.find((c) => c.entry.path === remembered);
    if (r) return r;
  }
  // Scripts that already have a cache entry win (R25–R26).
  const cachedOnes = list.filter(
    (c) =>
      isTruthy(c.meta['cache']) &&
      shared.ctx.index.query({
        automation: CACHE_FILTER,
        tags: { include: [`script-artifact-${c.entry.uid}`], exclude: ['tmp'] },
      }).length > 0,
  );
  const pool = cachedOnes.length > 0 ? cachedOnes : list;
  if (pool.length === 1 || shared.quiet || !shared.ctx.isInteractive) {
    shared.remembered.set(tagsKey, pool[0]!.entry.path);
    return pool[0]!;
  }
  const lines = pool.map((c, i) => {
    const name = typeof c.meta['name'] === 'string' ? `"${c.meta['name']}" ` : '';
    return `${i}) ${name}${c.entry.path} (${c.entry.tags.join(',')})`;
  });
  const answer = await shared.ctx.ask(
    `More than 1 script found for "${tagsKey}":\n${lines.join('\n')}\nMake your selection or press Enter for 0: `,
  );
  const n = Number.parseInt(answer, 10);
  const chosen = pool[Number.isInteger(n) && n >= 0 && n < pool.length ? n : 0]!;
  shared.remembered.set(tagsKey, chosen.entry.path);
  return chosen;
}

/** The content (up to 4 MB) or size and time of each file in a "a,b" or "a;b" list, for cache keys. */
function filesStamp(list: string, cwd: string): string[] {
  const out: string[] = [];
  for (const name of list.split(/[,;]/).map((x) => x.trim())) {
    if (name === '') continue;
    const path = resolve(cwd, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st || !st.isFile()) {
      out.push(`${path}:missing`);
      continue;
    }
    // Small files by content (a fresh checkout of the same patch still matches), big ones by
    // size and time (hashing a large archive on every lookup would cost more than it saves).
    out.push(
      st.size <= 4 << 20
        ? `${path}:${fnvHex(readFileSync(path, 'latin1'))}`
        : `${path}:${st.size}:${st.mtimeMs}`,
    );
  }
  return out;
}
