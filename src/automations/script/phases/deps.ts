// Phase 4, deps: runs one of a script's four dep lists (deps, prehook_deps, posthook_deps,
// post_deps; spec §6.3). Each dep's conditions (enable_if_env, skip_if_env ...) are decided in
// dep-run.ts (core/script/env.ts skipReason), its tags are made there (<<<VAR>>>,
// update_tags_from_env ...: core/script/deps.ts depTags), and it runs as a child run that gets
// this run's env and state. With --parallel=N, independent deps run side by side
// (deps-parallel.ts) with the same result.
import { expandEnv } from '../../../core/script/env.js';
import { applyConst, type RunContext } from '../run-context.js';
import { runStartedDep, startDep, withholdFromDep, type DepsInput } from './dep-run.js';
import { runDepsSideBySide } from './deps-parallel.js';

export type { DepsInput } from './dep-run.js';

/** Runs the deps of one list, in order; each one's exports are merged into rc.env. */
export async function runDeps(rc: RunContext, di: DepsInput): Promise<void> {
  const { shared } = rc;
  // Side by side only where it can change nothing but time: not for a plan (its run-time keys
  // are a stack), not under --fake_deps (the withheld-keys quirk), not for a cache hit's
  // dynamic deps.
  if (
    shared.parallel > 1 &&
    !shared.plan &&
    !rc.input.fakeDeps &&
    !di.fromCache &&
    rc.lists[di.list].length > 1
  )
    return runDepsSideBySide(rc, di);
  for (const d0 of rc.lists[di.list]) {
    const started = startDep(rc, di, d0, rc.env);
    if (!started) continue;
    const held = withholdFromDep(rc.env, di.withhold, started.d, rc.sel.P);
    try {
      if (rc.input.fakeDeps) {
        started.child.status = 'recorded';
        continue;
      }
      await runStartedDep(rc, di, started, {
        env: rc.env,
        state: rc.state,
        shared,
        branch: false,
      });
    } finally {
      // QUIRK kept for CM repos, only under --fake_run --fake_deps (nothing runs then): the
      // reference does not give the withheld keys (CM_TMP_*, CM_VERSION*, CM_OUTDIRNAME, values
      // with <<<...>>>) back, so its -j env lacks them, later dep lists see no CM_TMP_FAKE_RUN,
      // and no --outdirname folder is made. With --fake_deps alone they are given back.
      if (!rc.input.fakeDeps || !rc.fakeRun || rc.sel.mlc) Object.assign(rc.env, held);
    }
    expandEnv(rc.env);
    applyConst(rc);
  }
}
