// Phase 2, resolve: the script's plan from its meta, the run's input and the caller's env (spec
// R8–R45): flags into env, the meta's env/state/input mapping/const, update_meta_if_env,
// variations, versions, --ad/--adr into the dep lists, and the parts of the cache key. It reads
// metas and the files named by cache_key_files; it runs nothing.
import { fnvHex } from '../../../core/hash.js';
import { CmError, isCmError } from '../../../core/errors.js';
import { clone, isDict, mergeDicts, type Dict } from '../../../core/merge.js';
import {
  appendDeps,
  DEP_LISTS,
  mergeAdr,
  updateDeps,
  type DepList,
} from '../../../core/script/deps.js';
import {
  envString,
  expandEnv,
  expandString,
  isTrue,
  isTruthy,
  skipReason,
  type Env,
} from '../../../core/script/env.js';
import { clampDefaultVersion, type VersionConstraints } from '../../../core/script/versions.js';
import { resolveVariations, variationKey } from '../../../core/script/variations.js';
import { isSecretKey, maskUrlUserinfo, MASK } from '../../../core/secrets.js';
import { tagList } from '../../../core/tags.js';
import { metaFileFor } from '../../../db/artifact.js';
import { parseExpiration } from '../../cache/store.js';
import { hostOsInfo } from '../host.js';
import { LOCAL_ENV_KEYS, filesStamp, pathsInside } from '../run-files.js';
import { applyConst, type Resolution, type RunDicts, type Selection } from '../run-context.js';
import { VERSION_KEYS, type RunInput } from '../run-input.js';
import type { ResolvedScriptMeta } from '../../../core/script/script-meta.js';
import type { RunNode, RunShared } from '../run-shared.js';

export interface ResolveInput {
  shared: RunShared;
  /** The meta resolved at load (the written one is sel.chosen.meta). */
  spec: ResolvedScriptMeta;
  input: RunInput;
  sel: Selection;
  dicts: RunDicts;
  cwd: string;
  node: RunNode;
}

export type ResolveOutcome =
  | {
      kind: 'resolved';
      res: Resolution;
      lists: Record<DepList, Dict[]>;
      adr: Dict;
      fakeRun: boolean;
    }
  /** docker.run is false and the run is inside a container. */
  | { kind: 'skipped'; reason: string };

/** Env keys copied from the caller's process into a script's env when it has none of its own. */
const PROCESS_KEYS = [
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
];

/** What resolution builds up, step by step, from the meta and the sub-metas it applies. */
interface Work {
  ri: ResolveInput;
  meta: Dict;
  lists: Record<DepList, Dict[]>;
  adr: Dict;
  newEnvKeys: unknown[];
  newStateKeys: unknown[];
  runCache: boolean;
  scriptName: string | undefined;
  defaultVersion: string | undefined;
  warnings: string[];
  updateMetaIfEnv: Dict[];
  constraints: VersionConstraints;
  version: string;
  versionFrom: string;
}

export function resolveScript(ri: ResolveInput): ResolveOutcome {
  const { sel, dicts, node, input } = ri;
  const osInfo = applyRunFlags(ri);
  node.script = sel.entry.alias;
  node.uid = sel.entry.uid;
  node.path = sel.scriptDir;
  const w = applyMeta(ri);
  if (sel.mlc) resolveVersions(w);
  const variations = applyVariations(w);
  if (!sel.mlc) resolveVersions(w);
  applyDefaultVersion(w);
  node.version = w.version || undefined;
  node.version_from = w.versionFrom || undefined;
  // R40–R41: --ad (must name a dep) and --adr (recursive).
  const allLists = DEP_LISTS.map((l) => w.lists[l]);
  if (Object.keys(input.ad).length)
    updateDeps(allLists, input.ad, dicts.env, true, sel.entry.alias);
  updateDeps(allLists, w.adr, dicts.env, false);
  expandEnv(dicts.env);
  // Hooks see (and may change) the live dep lists as meta.deps ... (spec §11.2).
  for (const l of DEP_LISTS) w.meta[l] = w.lists[l];

  // R42: docker guard.
  let fakeRun = input.fakeRun;
  const docker = isDict(dicts.state['docker']) ? dicts.state['docker'] : {};
  if (isTrue(dicts.env[`${sel.P}RUN_STATE_DOCKER`])) {
    if ('run' in docker && !isTruthy(docker['run']))
      return { kind: 'skipped', reason: 'docker.run is false inside a container' };
    if ('real_run' in docker && !isTruthy(docker['real_run'])) {
      fakeRun = true;
      dicts.env[`${sel.P}TMP_FAKE_RUN`] = 'yes';
    }
  }
  const keyTags = cacheKeyTags(ri, w.meta);
  // R45: whether to cache.
  let useCache = (!input.skipCache && w.runCache) || (input.forceCache && ri.spec.can_force_cache);
  if (fakeRun) useCache = false;
  const res: Resolution = {
    spec: ri.spec,
    meta: w.meta,
    variationTags: variations.tags,
    variationsString: variations.tagsString,
    groupOf: (v) => {
      const k = variationKey(variations.defined, v);
      const m = k ? variations.defined[k.key] : undefined;
      return isDict(m) && typeof m['group'] === 'string' ? m['group'] : undefined;
    },
    version: w.version,
    versionFrom: w.versionFrom,
    constraints: w.constraints,
    newEnvKeys: w.newEnvKeys,
    newStateKeys: w.newStateKeys,
    cacheable: w.runCache,
    useCache,
    // Checked before anything runs: a typo must not make an entry that never expires.
    expiration: parseExpiration(input.raw['cache_expiration'] ?? w.meta['cache_expiration']),
    scriptName: w.scriptName,
    warnings: w.warnings,
    metaCleanFiles: pathsInside(ri.spec.clean_files, 'clean_files', sel.scriptDir),
    extraCacheTags: keyTags.tags,
    tagsFromEnv: keyTags.fromEnv,
    localKeys: [...LOCAL_ENV_KEYS, ...ri.spec.local_env_keys],
    postWithheld: [],
    osInfo,
    ...cycleCheck(ri, variations.tags, w.version),
    command: commandLine(input),
  };
  res.postWithheld = [...res.localKeys, ...ri.spec.clean_env_keys_post_deps];
  return { kind: 'resolved', res, lists: w.lists, adr: w.adr, fakeRun };
}

/** R8–R17: the run's flags and the host into env, with the prefix of the script's repo. */
function applyRunFlags(ri: ResolveInput): ReturnType<typeof hostOsInfo> {
  const { input, sel, shared, cwd } = ri;
  const { env, constEnv, savedEnv } = ri.dicts;
  const P = sel.P;
  if (input.fakeRun) env[`${P}TMP_FAKE_RUN`] = 'yes';
  if (input.fakeDeps) env[`${P}TMP_FAKE_DEPS`] = 'yes';
  if (input.debugUid !== undefined) env[`${P}TMP_DEBUG_UID`] = input.debugUid;
  if (input.skipSysUtils) env[`${P}SKIP_SYS_UTILS`] = 'yes';
  if (input.skipSudo) env[`${P}TMP_SKIP_SUDO`] = 'yes';
  if (shared.silent) env[`${P}TMP_SILENT`] = 'yes';
  if (shared.verbose) env[`${P}VERBOSE`] = 'yes';
  if (shared.quiet) env[`${P}QUIET`] = 'yes';
  env[`${P}TMP_CURRENT_PATH`] = cwd;
  // R15: the host's env (CM_WINDOWS on Windows; MLC_HOST_OS_TYPE ... for MLC scripts). mlcflow
  // also sets the first run's folder as MLC_USER_RUN_DIR (env and const).
  const osInfo = hostOsInfo(sel.entry.repo.format);
  Object.assign(env, osInfo.env);
  if (sel.mlc) {
    if (!env['MLC_USER_RUN_DIR']) {
      // Set once for the whole run, before anything is saved: it stays in the env returned.
      env['MLC_USER_RUN_DIR'] = cwd;
      if (!input.recursion) savedEnv['MLC_USER_RUN_DIR'] = cwd;
    }
    if (!constEnv['MLC_USER_RUN_DIR']) constEnv['MLC_USER_RUN_DIR'] = env['MLC_USER_RUN_DIR'];
  }
  for (const k of PROCESS_KEYS) {
    const v = shared.ctx.env[k];
    if (v && (env[k] === undefined || env[k] === '')) env[k] = v;
  }
  if (input.path !== undefined) env[`${P}TMP_PATH`] = input.path;
  for (const [f, v] of input.envFlags)
    if (f !== 'verify_ssl' || sel.mlc) env[`${P}${f.toUpperCase()}`] = v;
  expandEnv(env);
  env[`${P}TMP_CURRENT_SCRIPT_REPO_PATH`] = sel.entry.repo.path;
  env[`${P}TMP_CURRENT_SCRIPT_REPO_PATH_WITH_PREFIX`] = sel.entry.repo.artifactsRoot;
  if (!ri.node.tags)
    ri.node.tags = [...input.split.include, ...input.split.exclude.map((t) => `-${t}`)].join(',');
  return osInfo;
}

/** R32–R37: the meta's lists, env, state, input mapping and const. */
function applyMeta(ri: ResolveInput): Work {
  const { dicts } = ri;
  const meta = clone(ri.sel.chosen.meta);
  const w: Work = {
    ri,
    meta,
    lists: {
      deps: listOf(meta['deps']).filter(isDict),
      prehook_deps: listOf(meta['prehook_deps']).filter(isDict),
      posthook_deps: listOf(meta['posthook_deps']).filter(isDict),
      post_deps: listOf(meta['post_deps']).filter(isDict),
    },
    adr: clone(ri.input.adr),
    newEnvKeys: [...listOf(meta['new_env_keys'])],
    newStateKeys: [...listOf(meta['new_state_keys'])],
    runCache: ri.spec.cache,
    scriptName: typeof meta['script_name'] === 'string' ? meta['script_name'] : undefined,
    defaultVersion:
      typeof meta['default_version'] === 'string' ? meta['default_version'] : undefined,
    warnings: listOf(meta['warnings']).map(String),
    updateMetaIfEnv: listOf(meta['update_meta_if_env']).filter(isDict),
    constraints: {},
    version: '',
    versionFrom: '',
  };
  applyEnvOf(dicts.env, meta);
  mergeDicts(dicts.state, dictOf(meta['state']));
  applyInputMapping(w, meta['input_mapping']);
  applyConst(dicts);
  dicts.state['docker'] = clone(dictOf(meta['docker']));
  // Clean behaviour (QUIRK Q20): a top-level update_meta_if_env applies, as in MLC.
  if (w.updateMetaIfEnv.length) applySubMeta(w, {});
  return w;
}

/** default_env (absent keys only), then env, of the meta or of a variation/version sub-meta. */
function applyEnvOf(env: Env, m: Dict): void {
  for (const [k, v] of Object.entries(dictOf(m['default_env']))) if (!(k in env)) env[k] = clone(v);
  Object.assign(env, clone(dictOf(m['env'])));
}

function applyInputMapping(w: Work, mapping: unknown): void {
  const { raw } = w.ri.input;
  const { env, constEnv } = w.ri.dicts;
  for (const [flag, key] of Object.entries(dictOf(mapping))) {
    if (flag in raw && typeof key === 'string') {
      env[key] = clone(raw[flag]);
      // CM makes a mapped flag a const too; mlcflow does not (a variation may override it).
      if (!w.ri.sel.mlc) constEnv[key] = clone(raw[flag]);
    }
  }
}

/** A variation's or version's sub-meta over the meta (and update_meta_if_env, again). */
function applySubMeta(w: Work, sub: Dict): void {
  const { env, state, constEnv, constState } = w.ri.dicts;
  if ('cache' in sub) w.runCache = isTruthy(sub['cache']);
  applyEnvOf(env, sub);
  w.updateMetaIfEnv = [...listOf(sub['update_meta_if_env']).filter(isDict), ...w.updateMetaIfEnv];
  for (const c of w.updateMetaIfEnv) {
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
  for (const l of DEP_LISTS) appendDeps(w.lists[l], sub[l]);
  const subAd = mergeAdr(mergeAdr({}, sub['ad']), sub['add_deps']);
  if (Object.keys(subAd).length)
    updateDeps(
      DEP_LISTS.map((l) => w.lists[l]),
      subAd,
      env,
      true,
      w.ri.sel.entry.alias,
    );
  applyInputMapping(w, sub['input_mapping']);
  expandEnv(env);
  mergeDicts(state['docker'] as Dict, dictOf(sub['docker']));
  w.newEnvKeys.push(...listOf(sub['new_env_keys']));
  w.newStateKeys.push(...listOf(sub['new_state_keys']));
}

/** --adr (and what sub-metas added to it) into the dep lists, recursively (R41). */
function applyAdr(w: Work): void {
  updateDeps(
    DEP_LISTS.map((l) => w.lists[l]),
    w.adr,
    w.ri.dicts.env,
    false,
  );
}

function applyVersionMeta(w: Work, v: string): void {
  const sub = dictOf(w.meta['versions'])[v];
  if (!isDict(sub)) return;
  applySubMeta(w, sub);
  mergeAdr(w.adr, sub['adr']);
  mergeAdr(w.adr, sub['add_deps_recursive']);
  applyAdr(w);
}

/**
 * R39: the version asked for (input > env CM_VERSION* or MLC_VERSION* > meta) and its `versions`
 * sub-meta. MLC resolves versions before variations (a variation's env wins over a version's);
 * CM after.
 */
function resolveVersions(w: Work): void {
  const { input, sel } = w.ri;
  const { env } = w.ri.dicts;
  for (const k of VERSION_KEYS) {
    const envKey = `${sel.P}${k.toUpperCase()}`;
    let v = '';
    let from = '';
    if (input.versions[k] !== undefined) {
      v = input.versions[k];
      from = input.recursion ? 'dep' : `--${k}`;
    } else if (env[envKey] !== undefined && env[envKey] !== '') {
      v = envString(env[envKey]);
      from = `env ${envKey}`;
    } else if (typeof w.meta[k] === 'string' && w.meta[k] !== '') {
      v = w.meta[k] as string;
      from = `meta ${k}`;
    }
    if (v !== '') {
      env[envKey] = v;
      w.constraints[k] = v;
      if (k === 'version') w.versionFrom = from;
    }
  }
  w.version = w.constraints.version ?? '';
  if (w.version) applyVersionMeta(w, w.version);
}

/**
 * Else the default version (clean: before the cache lookup, so that the key holds the version
 * the run would use; a variation may set it, so this always comes after variations).
 */
function applyDefaultVersion(w: Work): void {
  if (w.version || !w.defaultVersion) return;
  w.version = clampDefaultVersion(w.defaultVersion, w.constraints);
  w.versionFrom =
    w.version === w.defaultVersion
      ? 'default_version'
      : `default_version ${w.defaultVersion} clamped by version_min/max`;
  w.ri.dicts.env[`${w.ri.sel.P}VERSION`] = w.version;
  applyVersionMeta(w, w.version);
}

/** R38: the variations asked for, their defaults and bases, applied in order. */
function applyVariations(w: Work): { tags: string[]; tagsString: string; defined: Dict } {
  const { sel, input, node } = w.ri;
  const defined = dictOf(w.meta['variations']);
  // The run's own list: the command line and the hooks' variation_tags show the added one too.
  const asked = input.split.variations;
  if (sel.mlc && w.version !== '') {
    // mlcflow: the version asked for (--version, MLC_VERSION or the meta's) selects the variation
    // _version.X when the script has one (or version.#).
    const v = `version.${w.version}`;
    if ((v in defined || 'version.#' in defined) && !asked.includes(v)) asked.push(v);
  }
  let resolved: ReturnType<typeof resolveVariations>;
  try {
    resolved = resolveVariations(sel.entry.alias, w.meta, asked, sel.mlc);
  } catch (e) {
    if (!isCmError(e) || e.code !== 'bad-input') throw e;
    throw new CmError(e.code, e.message, {
      hint: `${e.hint ? `${e.hint}\n` : ''}variations are defined in ${metaFileFor(sel.scriptDir)}`,
    });
  }
  for (const { meta: sub } of resolved.apply) {
    applySubMeta(w, sub);
    if (typeof sub['script_name'] === 'string') w.scriptName = sub['script_name'];
    if (typeof sub['default_version'] === 'string') w.defaultVersion = sub['default_version'];
    if (typeof sub['warning'] === 'string') w.warnings.push(sub['warning']);
    mergeAdr(w.adr, sub['adr']);
    mergeAdr(w.adr, sub['add_deps_recursive']);
  }
  applyAdr(w);
  node.variations = resolved.tags.map((t) => ({ name: `_${t}`, from: resolved.sources[t] ?? '' }));
  return { tags: resolved.tags, tagsString: resolved.tagsString, defined };
}

/**
 * R43–R44: the cache key's extra tags: --extra_cache_tags, the name, extra_cache_tags_from_env
 * with the env known before the run, and one tag for cache_key_env and cache_key_files.
 */
function cacheKeyTags(ri: ResolveInput, meta: Dict): { tags: string[]; fromEnv: () => string[] } {
  const { env } = ri.dicts;
  const P = ri.sel.P;
  const given = ri.input.extraCacheTags;
  const tags = [
    ...tagList(env[`${P}EXTRA_CACHE_TAGS`]),
    ...tagList(typeof given === 'string' ? expandString(given, env) : given),
  ];
  const nameTag = env[`${P}NAME`];
  if (typeof nameTag === 'string' && nameTag !== '') tags.push(`name-${nameTag.toLowerCase()}`);
  // The same keys after the deps ran are added to the entry's tags at the end.
  const fromEnv = (): string[] => {
    const out: string[] = [];
    for (const x of ri.spec.extra_cache_tags_from_env) {
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
  tags.push(...fromEnv());
  // cache_key_env (ours): inputs that change the result but are no variation (a URL, a checksum)
  // are part of the cache key, as one tag made from their values.
  const keyEnv = ri.spec.cache_key_env;
  // cache_key_files (ours): env keys naming input files (an archive, patches): their size and
  // time (and content when small) are part of the key, so an edited file is not served stale;
  // a folder (a data set) by its absolute path.
  const keyFiles = ri.spec.cache_key_files;
  if (keyEnv.length > 0 || keyFiles.length > 0)
    tags.push(
      `env-key-${fnvHex(
        JSON.stringify([
          // A secret is not hashed into a tag (a weak hash would let it be guessed back).
          ...keyEnv.map((k) => [
            k,
            isSecretKey(k) ? MASK : maskUrlUserinfo(envString(env[k] ?? '')),
          ]),
          ...keyFiles.map((k) => [k, filesStamp(envString(env[k] ?? ''), ri.cwd)]),
        ]),
      )}`,
    );
  return { tags, fromEnv };
}

/**
 * A cycle: the same script, variations and version on the stack twice already. Once is not one:
 * as in the reference, a script may come back below itself when its deps are conditioned away the
 * second time (cm4mlops: get-compiler-flags -> get-llvm -> get-compiler-flags, whose own
 * "get,compiler" dep get-llvm's hook has made skip); a true cycle repeats, and is named from its
 * last turn.
 */
function cycleCheck(
  ri: ResolveInput,
  variationTags: string[],
  version: string,
): { stackKey: string; stackLabel: string } {
  const { entry } = ri.sel;
  const { stack } = ri.shared;
  const stackKey = `${entry.uid || entry.path}|${[...variationTags].sort().join(',')}|${version}`;
  const stackLabel = `${entry.alias}${variationTags.length ? ` (${variationTags.map((t) => `_${t}`).join(',')})` : ''}`;
  if (stack.filter((s) => s.key === stackKey).length >= 2) {
    const turn = stack.slice(stack.map((s) => s.key).lastIndexOf(stackKey));
    const cycle = [...turn.map((s) => s.label), stackLabel];
    throw new CmError('dependency-cycle', `dependency cycle: ${cycle.join(' -> ')}`, {
      hint: 'a script depends on itself through this chain; remove or condition one of these deps',
      details: { cycle },
    });
  }
  if (stack.length > 64)
    throw new CmError(
      'dependency-cycle',
      `dependencies nested more than 64 levels deep at ${stackLabel}`,
    );
  return { stackKey, stackLabel };
}

/** The `cm run script "..."` line a run answers (its tags, or its names, and variations). */
function commandLine(input: RunInput): string {
  const { split, names } = input;
  const tagsLine =
    [...split.include, ...split.exclude.map((t) => `-${t}`)].join(' ') || names.join(' ');
  const varsLine = split.variations
    .map((v) => (v.startsWith('-') ? `-_${v.slice(1)}` : `_${v}`))
    .join(' ');
  return [tagsLine, varsLine].filter(Boolean).join(' ');
}

function dictOf(v: unknown): Dict {
  return isDict(v) ? v : {};
}

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
