// `cm run script`: one script's run as a pipeline of phases (phases/*.ts), over one RunContext:
//   select → resolve → cache → (reuse | deps, hooks, native) → save.
// --dry-run walks the same phases with the native step and the hooks switched off, and reports
// the plan tree instead (spec §3).
import { clone, isDict, mergeDicts, type Dict } from '../../core/merge.js';
import { mergeEnv, replaceContent, type Env } from '../../core/script/env.js';
import { checkScriptMeta } from '../../core/script/meta-check.js';
import { scriptInputKeys } from '../../core/script/input-keys.js';
import { withCommandMemos } from '../../db/dir-listing.js';
import { ENV_PREFIX_OF } from '../../db/repo.js';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  abandonEntry,
  cacheKeyOf,
  claimEntry,
  lookupCache,
  plannedKey,
  releaseKey,
  reuseEntry,
  reusePlanned,
} from './phases/cache.js';
import { stopHookWorkers } from './hooks.js';
import { runFresh, planExports, type FreshOutcome } from './phases/fresh.js';
import { resolveScript } from './phases/resolve.js';
import { saveResult } from './phases/save.js';
import { selectScript } from './phases/select.js';
import { emitStep, debug, releaseFolders, type RunContext, type RunDicts } from './run-context.js';
import { pathsInside } from './run-files.js';
import { scriptMetaSource } from './meta-source.js';
import { readRunInput } from './run-input.js';
import type { RunNode, RunShared } from './run-shared.js';

/**
 * A command's run tree (a run, or the plan a --frozen run checks first): the per-command memos
 * around it, and the hook workers it started stopped afterwards, failed or not.
 */
export async function runTree(
  shared: RunShared,
  input: Dict,
  cwd: string,
  root: RunNode,
): Promise<Dict> {
  try {
    return await withCommandMemos(shared.memos, () => runScript(input, shared, cwd, root));
  } finally {
    stopHookWorkers(shared.hookWorkers);
  }
}

/** Run one script. `cwd` is the caller's working folder (a parent's cache entry for deps). */
export async function runScript(
  inputDict: Dict,
  shared: RunShared,
  cwd: string,
  node: RunNode,
): Promise<Dict> {
  const started = Date.now();
  const { ctx } = shared;
  // R1 (is the working folder writable?) is asked where a run starts to use a folder (holdFolder):
  // a run answered from the cache writes nothing there and works in a read-only folder.
  const input = readRunInput(inputDict, ctx.env);
  const dicts = runDicts(inputDict);
  shared.quiet =
    input.quiet ?? Object.values(ENV_PREFIX_OF).some((p) => dicts.env[`${p}QUIET`] === 'yes');

  const sel = await selectScript(shared, input);
  for (const k of scriptInputKeys(sel.chosen.meta)) shared.inputKeys.add(k);
  if (input.help) {
    const { scriptHelpText } = await import('./help.js');
    ctx.emit({ type: 'output', text: scriptHelpText(sel.chosen) });
    return { return: 0, help: true, path: sel.scriptDir };
  }
  const spec = checkScriptMeta(sel.chosen.meta, scriptMetaSource(ctx, sel.entry));

  const resolved = resolveScript({ shared, spec, input, sel, dicts, cwd, node });
  if (resolved.kind === 'skipped') {
    restore(dicts);
    node.status = 'skipped';
    node.reason = resolved.reason;
    return { return: 0, skipped: true, new_env: {}, new_state: {}, deps: [] };
  }
  const { res } = resolved;
  if (!shared.plan)
    for (const f of pathsInside(spec.clean_output_files, 'clean_output_files', sel.scriptDir))
      rmSync(resolve(cwd, f), { force: true, recursive: true });
  const rc: RunContext = {
    ...dicts,
    shared,
    input,
    cwd,
    node,
    started,
    sel,
    res,
    adr: resolved.adr,
    lists: resolved.lists,
    fakeRun: resolved.fakeRun,
    version: res.version,
    workDir: cwd,
    folderReleases: [],
    hooks: null,
    cache: {
      key: cacheKeyOf(sel, res),
      lookedUp: false,
      hit: undefined,
      renewEntry: undefined,
      userWantsNew: false,
      rejections: [],
      rejectedPaths: new Set(),
      entryPath: undefined,
      lock: undefined,
    },
    runDepsTags: [],
    hookVersion: undefined,
    versionTag: res.version ? `version-${res.version}` : '',
    addedTags: [],
    wroteWrapper: false,
    hookSource: undefined,
    runChild: (i, branch, dir, child) => runScript(i, branch, dir, child),
  };
  node.key = { variations: rc.cache.key.variations, extra_tags: rc.cache.key.extraTags };
  emitStep(rc, { kind: 'start', command: res.command });
  if (shared.verbose)
    debug(
      rc,
      `selected ${sel.scriptDir}; variations ${res.variationsString || '(none)'}; version ${res.version || '(none)'}`,
    );

  let outcome: FreshOutcome = { kind: 'ran' };
  try {
    outcome = await runOrReuse(rc);
  } catch (e) {
    abandonEntry(rc);
    releaseFolders(rc);
    // A failed run leaves the caller's env and state as they were.
    restore(rc);
    throw e;
  }
  if (outcome.kind !== 'ran') {
    abandonEntry(rc);
    releaseFolders(rc);
    return outcomeResult(rc, outcome);
  }
  try {
    return await saveResult(rc);
  } catch (e) {
    abandonEntry(rc);
    restore(rc);
    throw e;
  } finally {
    releaseKey(rc);
    releaseFolders(rc);
  }
}

/** The cache phase, then a reuse of what it found or a fresh run. */
async function runOrReuse(rc: RunContext): Promise<FreshOutcome> {
  const { shared, res, cache } = rc;
  await lookupCache(rc);
  if (cache.hit) {
    await reuseEntry(rc, cache.hit, '');
    return { kind: 'ran' };
  }
  const key = plannedKey(rc);
  if (shared.plan && cache.lookedUp && !cache.renewEntry && shared.plannedKeys.has(key)) {
    await reusePlanned(rc);
    planExports(rc);
    return { kind: 'ran' };
  }
  if (shared.plan && res.useCache) shared.plannedKeys.add(key);
  if (res.useCache && !shared.plan) {
    const again = await claimEntry(rc);
    if (again) {
      await reuseEntry(rc, again, ' (made by another process)');
      return { kind: 'ran' };
    }
  }
  return runFresh(rc);
}

/** A skipped or replaced script: the caller's env as it was (plus what a replacement exported). */
function outcomeResult(rc: RunContext, outcome: Exclude<FreshOutcome, { kind: 'ran' }>): Dict {
  if (outcome.kind === 'skipped') {
    // Clean behaviour (QUIRK Q8): a skipped script leaves the caller's env as it was.
    restore(rc);
    rc.node.status = 'skipped';
    rc.node.reason = outcome.reason;
    rc.node.ms = Date.now() - rc.started;
    return { return: 0, skipped: true, new_env: {}, new_state: {}, deps: rc.runDepsTags };
  }
  // The caller gets its own env plus what the replacement exported.
  const r = outcome.result;
  replaceContent(rc.env, mergeEnv(clone(rc.savedEnv), isDict(r['new_env']) ? r['new_env'] : {}));
  replaceContent(
    rc.state,
    mergeDicts(clone(rc.savedState), isDict(r['new_state']) ? r['new_state'] : {}, {
      appendLists: true,
      appendUnique: true,
    }),
  );
  return { ...r, env: rc.env, state: rc.state };
}

/**
 * R4–R6: the shared dicts (deps get the parent's env and state objects themselves), with the
 * dep entry's local env/state/consts merged in, and what they were before.
 */
function runDicts(input: Dict): RunDicts {
  const env: Env = isDict(input['env']) ? input['env'] : (input['env'] = {});
  const state: Dict = isDict(input['state']) ? input['state'] : (input['state'] = {});
  const constEnv: Env = isDict(input['const']) ? input['const'] : {};
  const constState: Dict = isDict(input['const_state']) ? input['const_state'] : {};
  const savedEnv = clone(env);
  const savedState = clone(state);
  if (isDict(input['local_env'])) mergeEnv(env, input['local_env']);
  if (isDict(input['local_state'])) mergeDicts(state, input['local_state']);
  if (isDict(input['local_const'])) Object.assign(constEnv, clone(input['local_const']));
  if (isDict(input['local_const_state'])) mergeDicts(constState, input['local_const_state']);
  return { env, state, constEnv, constState, savedEnv, savedState };
}

function restore(d: RunDicts): void {
  replaceContent(d.env, d.savedEnv);
  replaceContent(d.state, d.savedState);
}
