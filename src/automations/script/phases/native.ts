// Phase 5, native: the script's own step (spec R50–R55): env_key_mappings, the run script chosen
// for this OS (script_name, run.sh/run.bat), run through a wrapper that exports the env, and the
// env and state it wrote back (tmp-run-env.out, tmp-run-state.json) merged into the run's.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../../core/errors.js';
import { mergeDicts } from '../../../core/merge.js';
import { envString, mergeEnv } from '../../../core/script/env.js';
import { tagList } from '../../../core/tags.js';
import { chooseNativeScript, executeNative, lastLines } from '../native.js';
import { applyConst, emitStep, type RunContext } from '../run-context.js';

/** Runs the script's native step, if it has one; a failure (exit status ≠ 0) fails the run. */
export async function runNativeStep(rc: RunContext): Promise<void> {
  const { shared, sel, res, env, input } = rc;
  for (const [from, to] of Object.entries(res.spec.env_key_mappings)) {
    for (const k of Object.keys(env))
      if (k.startsWith(from)) env[`${String(to)}${k.slice(from.length)}`] = env[k];
  }
  const base = res.scriptName ?? 'run';
  const script = chooseNativeScript(sel.scriptDir, base, env, shared.os, sel.P);
  if (!script && res.scriptName !== undefined) {
    throw new CmError(
      'file-not-found',
      `script "${base}${shared.os.bat_ext}" not found in ${sel.scriptDir} - please add one`,
      { hint: `script_name "${base}" is set by the meta or a variation of "${sel.entry.alias}"` },
    );
  }
  if (!script) return;
  applyConst(rc);
  if (input.printEnv)
    shared.ctx.emit({
      type: 'info',
      text: Object.keys(env)
        .sort()
        .map((k) => `${k}=${envString(env[k])}`)
        .join('\n'),
    });
  const keep =
    input.debugScriptTags.length > 0 &&
    input.debugScriptTags.every((t) => tagList(res.meta['tags']).includes(t));
  rc.wroteWrapper = true;
  shared.ctx.secrets.addFrom(env);
  const r = await executeNative({
    workDir: rc.workDir,
    script,
    scriptDir: sel.scriptDir,
    env,
    state: rc.state,
    os: shared.os,
    processEnv: shared.ctx.env,
    known: shared.ctx.secrets,
    emit: shared.ctx.emit,
    prefix: sel.P,
    keepCopyAs: keep ? 'tmp-run-without-cm.sh' : undefined,
    onStart: (wrapper) => emitStep(rc, { kind: 'native', workDir: rc.workDir, script, wrapper }),
  });
  if (r.exitCode !== 0 && !input.ignoreScriptError) {
    const dumps = res.spec.print_files_if_script_error
      .map((f) => join(rc.workDir, f))
      .filter(existsSync);
    throw new CmError(
      'script-failed',
      `Portable CM script failed (name = ${sel.entry.alias}, script = ${script}, exit status = ${r.exitCode})`,
      {
        hint: `last lines of its output:\n${lastLines(r.tail) || '(no output)'}${dumps.length ? `\nsee also ${dumps.join(', ')}` : ''}\nworking folder: ${rc.workDir}`,
        details: { script, exit_status: r.exitCode, work_dir: rc.workDir },
      },
    );
  }
  mergeDicts(rc.state, r.stateOut);
  mergeEnv(env, r.envOut);
}
