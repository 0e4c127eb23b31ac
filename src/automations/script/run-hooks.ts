// Calling a script's hooks (customize.py / customize.js) from the phases of its run: what a hook
// gets as `i` (spec §11.2), in which folder it runs, and how its failure reads.
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import { DEP_LISTS } from '../../core/script/deps.js';
import type { Env } from '../../core/script/env.js';
import { scriptAutomationApi } from './hook-api.js';
import type { HookModule, HookName } from './hook-types.js';
import { loadHooks } from './hooks.js';
import { pythonDirOf, resolvePython } from './python-hooks.js';
import { debug, type RunContext } from './run-context.js';
import { whileNotingReads } from './run-flags.js';

/** The script's hooks, loaded once per run (undefined: it has none). */
export async function hooksOf(rc: RunContext): Promise<HookModule | undefined> {
  if (rc.hooks === null) {
    const { ctx } = rc.shared;
    rc.hooks = await loadHooks(rc.sel.scriptDir, () => ({
      workers: rc.shared.hookWorkers,
      pythonDir: pythonDirOf(ctx.internalRepoPath),
      python: () => resolvePython(ctx.env, ctx.cwd, join(ctx.paths.root, '.python-resolved.json')),
      env: ctx.env,
      emit: ctx.emit,
      timeoutMs: rc.input.timeoutMs,
      cwd: () => rc.workDir,
      // mlcflow puts the repo's automation/ folder on sys.path: 188 mlperf-automations hooks
      // do `from utils import is_true` (automation/utils.py).
      importPaths: rc.sel.mlc ? [join(rc.sel.entry.repo.artifactsRoot, 'automation')] : [],
    }));
  }
  return rc.hooks;
}

/** What a hook gets as `i`. */
function hookInput(rc: RunContext, extra: Dict): Dict {
  const { sel, res } = rc;
  return {
    input: rc.input.raw,
    automation: scriptAutomationApi(rc.shared, {
      scriptDir: sel.scriptDir,
      env: rc.env,
      state: rc.state,
      meta: res.meta,
      constEnv: rc.constEnv,
      workDir: () => rc.workDir,
      detectVersion: async (e: Env) => callHook(rc, 'detect_version', e),
      prefix: sel.P,
    }),
    artifact: {
      path: sel.scriptDir,
      meta: sel.chosen.meta,
      original_meta: sel.chosen.meta,
      repo_path: sel.entry.repo.path,
      uid: sel.entry.uid,
      alias: sel.entry.alias,
    },
    customize: isDict(res.meta['customize']) ? res.meta['customize'] : {},
    os_info: res.osInfo,
    recursion_spaces: '  '.repeat(rc.shared.depth),
    script_tags: rc.input.split.include,
    variation_tags: rc.input.split.variations,
    env: rc.env,
    state: rc.state,
    meta: res.meta,
    const: rc.constEnv,
    ...extra,
  };
}

/**
 * Calls one hook in the working folder; undefined when the script has no such hook. A hook that
 * returns `return > 0` fails the run (16, "not found", keeps its own message).
 */
export async function callHook(
  rc: RunContext,
  name: HookName,
  envForHook: Env = rc.env,
): Promise<Dict | undefined> {
  const h = await hooksOf(rc);
  if (!h || !h.has(name)) return undefined;
  rc.shared.ctx.secrets.addFrom(envForHook);
  // Each loader runs its hook in workDir (JS: hook-cwd.ts inFolder; Python: in its worker).
  debug(rc, `${h.file}: ${name}()`);
  const extra: Dict = { env: envForHook };
  if (name !== 'detect_version')
    extra['run_script_input'] = {
      path: rc.sel.scriptDir,
      env: envForHook,
      state: rc.state,
      meta: rc.res.meta,
      script_name: rc.res.scriptName,
      work_dir: rc.workDir,
      os_info: rc.res.osInfo,
      const: rc.constEnv,
    };
  // What a JS hook of the top script reads from the user's input counts as used (deps get
  // inputs of their own; a Python hook gets a copy: its script's meta names its inputs).
  const call = (): Promise<Dict> => h.call(name, hookInput(rc, extra));
  const r =
    !rc.input.recursion && h.language === 'javascript'
      ? await whileNotingReads(rc.input.raw, rc.shared.inputKeys, call)
      : await call();
  // A hook may have replaced meta.deps (a Python hook sends the whole meta back).
  for (const l of DEP_LISTS)
    if (Array.isArray(rc.res.meta[l])) rc.lists[l] = (rc.res.meta[l] as unknown[]).filter(isDict);
  const rc_ = typeof r['return'] === 'number' ? r['return'] : 0;
  if (rc_ > 0) throw hookFailure(rc, name, h.file, rc_, r);
  return r;
}

function hookFailure(rc: RunContext, name: string, file: string, code: number, r: Dict): CmError {
  const error = String(r['error'] ?? 'no error message');
  const where = `${name}() of script "${rc.sel.entry.alias}"`;
  // 16 is an answer, "not found" (no python3 satisfies >= 99: found ...), whole as it is.
  return new CmError('hook-failed', code === 16 ? error : `${where} failed: ${error}`, {
    returnCode: code,
    // A hint of the failed call (a download's "running it again resumes") comes first.
    hint: `${typeof r['hint'] === 'string' ? `${r['hint']}\n` : ''}${code === 16 ? `from ${where}: ` : 'in '}${file}`,
    details: { result: r },
  });
}
