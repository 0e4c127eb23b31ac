// Phase 6, save: what the run gives back (spec F1–F9): new_env/new_state filtered by the meta's
// keys, the caller's env and state set to what they were plus those exports, the detected version
// checked, the cache entry completed (state first, then the meta without `tmp`), the working folder
// cleaned, --save_env, and the result dict.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CmError } from '../../../core/errors.js';
import { didYouMean } from '../../../core/did-you-mean.js';
import { clone, isDict, mergeDicts, type Dict } from '../../../core/merge.js';
import {
  envString,
  exportLinesWithoutSecrets,
  filterKeys,
  mergeEnv,
  replaceContent,
  type Env,
} from '../../../core/script/env.js';
import { versionViolation } from '../../../core/script/versions.js';
import { maskUrlUserinfo, withoutSecrets } from '../../../core/secrets.js';
import { tagList } from '../../../core/tags.js';
import {
  completeEntry,
  fingerprintAsRun,
  keyHash,
  scriptStatSignature,
} from '../../cache/store.js';
import { applyConst, emitStep, type RunContext } from '../run-context.js';
import { removeFiles, TMP_FILES } from '../run-files.js';
import { downloadsOf } from '../lockfile/downloads.js';
import { cachedTags, releaseKey } from './cache.js';

export async function saveResult(rc: RunContext): Promise<Dict> {
  const { shared, sel, input, res, env, state, node } = rc;
  // F1–F6: the result env/state; the caller's dicts hold snapshot ⊕ exports.
  const detected = envString(
    env[`${sel.P}DETECTED_VERSION`] ?? rc.hookVersion ?? env[`${sel.P}VERSION`] ?? '',
  );
  const finalVersion = (detected !== 'None' && detected) || rc.version;
  const dependent = env[`${sel.P}GET_DEPENDENT_CACHED_PATH`];
  applyConst(rc);
  const newEnv = filterKeys(env, input.forceNewEnvKeys ?? res.newEnvKeys);
  const newState = filterKeys(state, input.forceNewStateKeys ?? res.newStateKeys);
  // Read before the env is reset to the caller's: the URL is the run's own env.
  const downloads = downloadsOf(newEnv, env);
  if (downloads.length > 0) node.downloads = downloads;
  replaceContent(env, mergeEnv(clone(rc.savedEnv), newEnv));
  replaceContent(
    state,
    mergeDicts(clone(rc.savedState), newState, { appendLists: true, appendUnique: true }),
  );
  if (finalVersion && !res.constraints.version && !rc.cache.hit && !shared.plan) {
    const bad = versionViolation(finalVersion, res.constraints);
    if (bad)
      throw new CmError('version-mismatch', `script "${sel.entry.alias}": detected ${bad}`, {
        hint: 'relax --version_min/--version_max, or point the script to another installation (--path=...)',
      });
  }
  // F7: complete the cache entry.
  if (rc.cache.entryPath && !shared.plan)
    completeCacheEntry(rc, rc.cache.entryPath, { newEnv, newState, finalVersion, dependent });
  releaseKey(rc);
  cleanUp(rc, newEnv);
  if (!input.recursion && input.printDeps) {
    // On a cache hit the deps did not run: those recorded in the entry are shown.
    const hit = rc.cache.hit;
    const shown = hit
      ? (Array.isArray(hit.state['deps']) ? hit.state['deps'] : [])
          .filter(isDict)
          .map((d) => tagList(d['tags']).join(','))
      : rc.runDepsTags;
    for (const t of shown) shared.ctx.emit({ type: 'output', text: `cm run script --tags=${t}` });
    newState['print_deps'] = shown.map((t) => `cm run script --tags=${t}`);
  }
  if (!shared.silent && !input.recursion && !shared.plan) {
    for (const [k, labelText] of Object.entries(res.spec.print_env_at_the_end)) {
      if (newEnv[k] !== undefined)
        shared.ctx.emit({
          type: 'info',
          text: `${String(labelText) || k}: ${envString(newEnv[k])}`,
        });
    }
  }
  node.version = finalVersion || node.version;
  node.ms = Date.now() - rc.started;
  const result: Dict = {
    return: 0,
    env,
    new_env: newEnv,
    state,
    new_state: newState,
    // CM reports the tags of the deps that ran; mlcflow the script's resolved dep list.
    deps: sel.mlc ? clone(rc.lists.deps) : rc.runDepsTags,
  };
  if (finalVersion) result['version'] = finalVersion;
  const entryUsed = rc.cache.entryPath ?? rc.cache.hit?.entry.path;
  if (entryUsed) result['cache_entry'] = entryUsed;
  return result;
}

interface Exports {
  newEnv: Env;
  newState: Dict;
  finalVersion: string;
  dependent: unknown;
}

/** The entry's state (secrets never reach the disk) and its final tags and meta. */
function completeCacheEntry(rc: RunContext, entryPath: string, x: Exports): void {
  const { sel, res, shared } = rc;
  const key = rc.cache.key;
  const tagsNow = [
    ...cachedTags(rc),
    ...key.variations.map((v) => `_${v}`),
    `script-artifact-${sel.entry.uid}`,
    ...res.extraCacheTags,
    ...rc.addedTags,
  ];
  if (rc.versionTag) tagsNow.push(rc.versionTag);
  // The key's version stays findable even when detection reported a longer one (3.10 → 3.10.1).
  if (key.version) tagsNow.push(`version-${key.version}`);
  const signature = scriptStatSignature(sel.scriptDir);
  const fingerprint = fingerprintAsRun(sel.scriptDir, signature);
  const entryMeta: Dict = {
    tags: [...new Set(tagsNow.map(maskUrlUserinfo))],
    script_fingerprint: fingerprint,
  };
  if (x.finalVersion) entryMeta['version'] = x.finalVersion;
  if (typeof x.dependent === 'string' && x.dependent !== '' && resolve(x.dependent) !== entryPath)
    entryMeta['dependent_cached_path'] = x.dependent;
  if (res.expiration) entryMeta['cache_expires'] = Date.now() + res.expiration;
  // What lookups check, beside the reference's keys: one file read per candidate entry.
  const cacheInfo: Dict = {
    version: x.finalVersion || '',
    cache_key: keyHash(key),
    script_fingerprint: fingerprint,
    script_stat_signature: signature,
    cache_created: Date.now(),
  };
  for (const k of ['dependent_cached_path', 'cache_expires'])
    if (entryMeta[k] !== undefined) cacheInfo[k] = entryMeta[k];
  // Secrets never reach the disk: a reuse gets them from its own inputs again.
  const cachedState = {
    new_env: withoutSecrets(x.newEnv, shared.ctx.secrets),
    new_state: withoutSecrets(x.newState, shared.ctx.secrets),
    deps: withoutSecrets([...rc.lists.deps], shared.ctx.secrets),
    version: x.finalVersion || '',
    cache_info: cacheInfo,
  };
  const start = shared.os.start_script;
  writeFileSync(
    join(entryPath, 'tmp-env.sh'),
    [...start, ...exportLinesWithoutSecrets(x.newEnv, shared.ctx.secrets).lines, ''].join('\n'),
  );
  writeFileSync(
    join(entryPath, 'tmp-env-all.sh'),
    [...start, ...exportLinesWithoutSecrets(rc.env, shared.ctx.secrets).lines, ''].join('\n'),
  );
  completeEntry(shared.ctx, entryPath, cachedState, entryMeta);
}

/** F8–F9: clean the working folder of an uncached run; --save_env / --shell; the --adr check. */
function cleanUp(rc: RunContext, newEnv: Env): void {
  const { shared, input, res, node } = rc;
  if (
    !res.useCache &&
    !shared.plan &&
    !input.dirty &&
    !input.shell &&
    !rc.fakeRun &&
    node.status === 'ran'
  ) {
    if (rc.wroteWrapper || res.metaCleanFiles.length > 0)
      removeFiles(rc.workDir, [...res.metaCleanFiles, ...TMP_FILES]);
  }
  if (!input.recursion && (input.saveEnv || input.shell) && !shared.plan) {
    const prefix = Array.isArray(rc.state['script_prefix'])
      ? rc.state['script_prefix'].map(String)
      : [];
    const file = join(rc.cwd, 'tmp-env.sh');
    writeFileSync(
      file,
      [
        ...shared.os.start_script,
        ...prefix,
        ...exportLinesWithoutSecrets(newEnv, shared.ctx.secrets).lines,
        '',
      ].join('\n'),
    );
    emitStep(rc, { kind: 'env-saved', file });
  }
  if (!input.recursion && !shared.plan && node.status !== 'cached') {
    // An --adr.NAME that no dep of the whole run carries is most likely a typo.
    for (const name of input.adrNames) {
      if (shared.depNames.has(name)) continue;
      const dym = didYouMean(name, shared.depNames);
      shared.ctx.emit({
        type: 'warning',
        text: `--adr.${name} matched no dependency of this run${dym ? `; ${dym}` : shared.depNames.size ? `; dep names: ${[...shared.depNames].join(', ')}` : ''}`,
      });
    }
  }
}
