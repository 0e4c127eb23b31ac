// A run that is not answered by the cache: the order of spec §6 — predeps hook, deps, preprocess
// (which may skip the script or run another one instead), prehook deps, the native step
// (phases/native.ts), posthook deps, postprocess, post deps. Under --dry-run the hooks and the
// native step are off: the same walk plans the deps and says what only run time can know.
import { mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { clone, isDict, type Dict } from '../../../core/merge.js';
import { envString, expandEnv, exportedGlobs, isTrue } from '../../../core/script/env.js';
import { pipVersionString } from '../../../core/script/versions.js';
import { tagList } from '../../../core/tags.js';
import { hasFile } from '../../../db/dir-listing.js';
import { chooseNativeScript } from '../native.js';
import { applyConst, emitStep, holdFolder, type RunContext } from '../run-context.js';
import {
  HOOK_FILES,
  hookSourceText,
  mayRunInFolder,
  removeFiles,
  TMP_FILES,
} from '../run-files.js';
import { callHook, hooksOf } from '../run-hooks.js';
import type { RunNode } from '../run-shared.js';
import { runDeps } from './deps.js';
import { runNativeStep } from './native.js';

/** How a fresh run ended: it ran, preprocess skipped it, or preprocess ran another script. */
export type FreshOutcome =
  { kind: 'ran' } | { kind: 'skipped'; reason: string } | { kind: 'replaced'; result: Dict };

export async function runFresh(rc: RunContext): Promise<FreshOutcome> {
  const { shared, sel, res, node, env } = rc;
  const runTimeMark = shared.runTimeKeys.length;
  node.status = shared.plan ? 'will-run' : rc.fakeRun ? 'fake-run' : 'ran';
  for (const w of res.warnings)
    shared.ctx.emit({ type: 'warning', text: `${sel.entry.alias}: ${w}` });
  env[`${sel.P}TMP_CURRENT_SCRIPT_PATH`] = sel.scriptDir;
  const hooksActive = !rc.fakeRun && !shared.plan;
  if (hooksActive && mayRunInFolder(sel.scriptDir))
    rc.folderReleases.push(await holdFolder(rc, rc.workDir));
  if (hooksActive && res.spec.predeps) await callHook(rc, 'predeps');
  await runDeps(rc, { list: 'deps', fromCache: false, withhold: res.localKeys });
  expandEnv(env);
  // Stale tmp files matter only to something that runs here: a native script or a hook.
  const runsHere =
    chooseNativeScript(sel.scriptDir, res.scriptName ?? 'run', env, shared.os, sel.P) !==
      undefined || HOOK_FILES.some((f) => hasFile(sel.scriptDir, f));
  if (!shared.plan && (runsHere || res.metaCleanFiles.length > 0))
    removeFiles(rc.workDir, [...res.metaCleanFiles, ...TMP_FILES]);
  const { constraints } = res;
  env[`${sel.P}TMP_PIP_VERSION_STRING`] = pipVersionString(
    constraints.version ? constraints : { ...constraints, version: rc.version || undefined },
  );
  applyConst(rc);
  await enterOutdir(rc, hooksActive);
  if (hooksActive) {
    const r = await callHook(rc, 'preprocess');
    if (r && isTrue(r['skip'])) {
      if (isDict(r['script'])) return { kind: 'replaced', result: await runReplacement(rc, r) };
      return { kind: 'skipped', reason: 'preprocess returned skip' };
    }
    if (r) takeHookVersion(rc, r);
  }
  // --dry-run: from here on, what this script's hooks and native step set is unknown.
  if (shared.plan && runsHere) shared.runTimeKeys.push('*');
  await runDeps(rc, { list: 'prehook_deps', fromCache: false, withhold: res.localKeys });
  if (hooksActive) {
    await runNativeStep(rc);
    await runDeps(rc, { list: 'posthook_deps', fromCache: false, withhold: res.localKeys });
    applyConst(rc);
    const r = await callHook(rc, 'postprocess');
    if (r) takeHookVersion(rc, r);
    // Clean behaviour (QUIRK Q7): post deps do not get the local keys either.
    await runDeps(rc, { list: 'post_deps', fromCache: false, withhold: res.postWithheld });
  } else if (shared.plan) {
    await planAfterPreprocess(rc);
    shared.runTimeKeys.length = runTimeMark;
    if (runsHere) planExports(rc);
  }
  rc.addedTags.push(...res.tagsFromEnv());
  return { kind: 'ran' };
}

/** --outdirname: the run works in that folder (made, and held like any working folder). */
async function enterOutdir(rc: RunContext, hooksActive: boolean): Promise<void> {
  const { env, sel, shared } = rc;
  const outdir = env[`${sel.P}OUTDIRNAME`];
  if (typeof outdir !== 'string' || outdir === '' || shared.plan) return;
  const abs = isAbsolute(outdir)
    ? outdir
    : resolve(rc.input.recursion ? rc.workDir : envString(env[`${sel.P}TMP_CURRENT_PATH`]), outdir);
  env[`${sel.P}OUTDIRNAME`] = abs;
  mkdirSync(abs, { recursive: true });
  rc.workDir = abs;
  if (hooksActive && mayRunInFolder(sel.scriptDir))
    rc.folderReleases.push(await holdFolder(rc, rc.workDir));
}

/** preprocess returned skip with a `script`: that script runs instead, as a child of this one. */
async function runReplacement(rc: RunContext, r: Dict): Promise<Dict> {
  const { shared, node } = rc;
  const script = r['script'] as Dict;
  const other: Dict = {
    ...clone(script),
    action: 'run',
    automation: 'script',
    recursion: true,
    env: rc.env,
    state: rc.state,
    const: rc.constEnv,
    const_state: rc.constState,
    adr: rc.adr,
  };
  const child: RunNode = { tags: String(script['tags'] ?? ''), status: 'ran', deps: [] };
  node.deps.push(child);
  node.status = 'skipped';
  node.reason = 'preprocess ran another script instead';
  shared.depth++;
  shared.stack.push({ key: rc.res.stackKey, label: rc.res.stackLabel });
  try {
    return await rc.runChild(other, shared, rc.workDir, child);
  } finally {
    shared.stack.pop();
    shared.depth--;
  }
}

/** --dry-run after preprocess: what the hooks may do, a JS dry_run hook's commands, the deps. */
async function planAfterPreprocess(rc: RunContext): Promise<void> {
  const { node, sel, res } = rc;
  rc.hookSource ??= hookSourceText(sel.scriptDir);
  if (/['"]skip['"]\s*:|\bskip\s*:/.test(rc.hookSource))
    node.reason ??= `may be skipped at run time: the preprocess of "${sel.entry.alias}" can return skip`;
  // A JS dry_run hook tells what the script would run (a Python one is not started for it,
  // and a customize.js that does not mention dry_run is not even loaded).
  const js = join(sel.scriptDir, 'customize.js');
  const h =
    hasFile(sel.scriptDir, 'customize.js') && readFileSync(js, 'utf8').includes('dry_run')
      ? await hooksOf(rc)
      : undefined;
  if (h?.language === 'javascript' && h.has('dry_run')) {
    const r = await callHook(rc, 'dry_run');
    const commands = (Array.isArray(r?.['commands']) ? r['commands'] : []).map(String);
    if (commands.length > 0) node.commands = commands;
    for (const c of commands) emitStep(rc, { kind: 'would-run', command: c });
  }
  await runDeps(rc, { list: 'posthook_deps', fromCache: false, withhold: res.localKeys });
  await runDeps(rc, { list: 'post_deps', fromCache: false, withhold: res.postWithheld });
}

/** --dry-run: what this script will let out to its caller is known only once it has run. */
export function planExports(rc: RunContext): void {
  const keys = rc.res.meta['new_env_keys'];
  rc.shared.runTimeKeys.push(...exportedGlobs(Array.isArray(keys) ? keys : [], rc.env));
}

/** A version a hook detected, and the cache tags it adds. */
function takeHookVersion(rc: RunContext, r: Dict): void {
  if (typeof r['version'] === 'string' && r['version'] !== '') {
    rc.versionTag = `version-${r['version']}`;
    rc.hookVersion = r['version'];
    if (!rc.version) rc.node.version_from = 'detected';
  }
  for (const t of tagList(r['add_extra_cache_tags'])) rc.addedTags.push(t);
}
