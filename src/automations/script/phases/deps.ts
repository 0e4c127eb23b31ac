// Phase 4, deps: runs one of a script's four dep lists (deps, prehook_deps, posthook_deps,
// post_deps; spec §6.3). Each dep's conditions (enable_if_env, skip_if_env ...) are decided here
// (core/script/env.ts skipReason), its tags are made (<<<VAR>>>, update_tags_from_env ...:
// core/script/deps.ts depTags), and it runs as a child run that gets this run's env and state.
import { CmError, isCmError } from '../../../core/errors.js';
import { clone, isDict, mergeDicts, type Dict } from '../../../core/merge.js';
import { DEP_KEYS, depTags, mergeAdr, namesOf, type DepList } from '../../../core/script/deps.js';
import {
  expandEnv,
  expandString,
  hasUnresolved,
  isTruthy,
  matchesAnyGlob,
  runTimeConditionKeys,
  skipReason,
  type Env,
} from '../../../core/script/env.js';
import { tagList } from '../../../core/tags.js';
import { metaFileFor } from '../../../db/artifact.js';
import { applyConst, emitStep, type RunContext } from '../run-context.js';
import type { RunNode } from '../run-shared.js';
import { hookSourceText } from '../run-files.js';

/** --dry-run: the reason of a planned dep that a hook may change before it runs. */
const REWRITTEN = 'may change at run time';

export interface DepsInput {
  list: DepList;
  /** The script's result comes from its cache: only `dynamic` deps run. */
  fromCache: boolean;
  /** Env key globs the deps must not see (the local keys; for post deps also the post ones). */
  withhold: string[];
}

/** Runs the deps of one list, in order; each one's exports are merged into rc.env. */
export async function runDeps(rc: RunContext, di: DepsInput): Promise<void> {
  const { shared, node } = rc;
  for (const d0 of rc.lists[di.list]) {
    if (tagList(d0['tags']).length === 0) continue;
    for (const n of namesOf(d0)) shared.depNames.add(n);
    const child: RunNode = {
      tags: tagList(d0['tags']).join(','),
      list: di.list,
      status: 'ran',
      deps: [],
    };
    if (di.fromCache && !isTruthy(d0['dynamic'])) continue;
    const skip = whySkipped(rc, d0);
    if (skip) {
      child.status = skip.status;
      child.reason = skip.reason;
      node.deps.push(child);
      emitStep(rc, { kind: 'dep-skipped', tags: child.tags, reason: skip.reason });
      continue;
    }
    // Clean behaviour (QUIRK Q15): the dep entry is not consumed; a copy is used.
    const d = clone(d0);
    const denv = isDict(d['env']) ? d['env'] : {};
    for (const [k, v] of Object.entries(denv))
      if (typeof v === 'string') denv[k] = expandString(v, { ...rc.env, ...denv });
    const childTags = depTags(d, rc.env, {
      tagsString: rc.res.variationsString,
      groupOf: rc.res.groupOf,
    });
    child.tags = childTags;
    // mlcflow writes a dep's effective tags and expanded env into the dep list it reports (-j).
    if (rc.sel.mlc) {
      d0['tags'] = childTags;
      if (isDict(d0['env'])) d0['env'] = clone(denv);
    }
    const held = withholdFromDep(rc.env, di.withhold, d, rc.sel.P);
    rc.runDepsTags.push(childTags);
    node.deps.push(child);
    try {
      if (rc.input.fakeDeps) {
        child.status = 'recorded';
        continue;
      }
      await runOneDep(rc, di, { d, d0, denv, childTags, child });
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

/** Why a dep does not run: its conditions say so, or (--dry-run) they need a run-time value. */
function whySkipped(
  rc: RunContext,
  d0: Dict,
): { status: 'skipped' | 'depends'; reason: string } | undefined {
  const { shared } = rc;
  const unknown = shared.plan ? runTimeConditionKeys(d0, shared.runTimeKeys, rc.constEnv) : [];
  if (unknown.length > 0)
    return { status: 'depends', reason: `depends on run-time value ${unknown.join(', ')}` };
  const reason = skipReason(d0, rc.env, rc.sel.P);
  return reason === undefined ? undefined : { status: 'skipped', reason };
}

interface OneDep {
  d: Dict;
  d0: Dict;
  denv: Dict;
  childTags: string;
  child: RunNode;
}

/** The child run of one dep: its input, the stack, and a clear error if it matches no script. */
async function runOneDep(rc: RunContext, di: DepsInput, o: OneDep): Promise<void> {
  const { shared } = rc;
  const ii = depInput(rc, o.d, o.denv, o.childTags);
  shared.depth++;
  shared.stack.push({ key: rc.res.stackKey, label: rc.res.stackLabel });
  try {
    await rc.runChild(ii, rc.workDir, o.child);
    if (shared.plan && !di.fromCache && di.list !== 'deps' && hookRewritesDeps(rc))
      o.child.reason ??= `${REWRITTEN}: the hooks of "${rc.sel.entry.alias}" call update_deps`;
  } catch (e) {
    if (
      isCmError(e) &&
      (e.code === 'script-not-found' || e.code === 'variation-unknown') &&
      e.details?.['parent'] === undefined
    ) {
      const nm = namesOf(o.d0);
      throw new CmError(
        e.code,
        `dependency "${o.childTags}" of script "${rc.sel.entry.alias}" (${di.list}${nm.length ? `, names ${nm.join(',')}` : ''}) matched no script: ${e.message}`,
        {
          hint: `${e.hint ? `${e.hint}\n` : ''}the dep is in ${metaFileFor(rc.sel.scriptDir)} (${di.list}, or a variation's ${di.list})${nm.length ? `; --adr.${nm[0]}.tags=... changes its tags` : ''}`,
          details: { parent: rc.sel.label, dep: o.d0 },
        },
      );
    }
    throw e;
  } finally {
    shared.stack.pop();
    shared.depth--;
  }
}

/** A dep's run input: this run's env and state (shared), consts, --adr and the dep entry's keys. */
function depInput(rc: RunContext, d: Dict, denv: Dict, childTags: string): Dict {
  const ii: Dict = {
    action: 'run',
    automation: 'script',
    tags: childTags,
    recursion: true,
    env: rc.env,
    state: rc.state,
    const: clone(rc.constEnv),
    const_state: clone(rc.constState),
    adr: clone(rc.adr),
    local_env: denv,
    local_state: isDict(d['state']) ? d['state'] : {},
    local_const: isDict(d['const']) ? d['const'] : {},
    local_const_state: isDict(d['const_state']) ? d['const_state'] : {},
  };
  if (rc.input.quiet === true) ii['quiet'] = true;
  if (rc.shared.silent) ii['silent'] = true;
  if (rc.shared.verbose) ii['v'] = true;
  for (const [k, v] of Object.entries(d)) {
    if (DEP_KEYS.has(k)) continue;
    if (k === 'adr' || k === 'add_deps_recursive') mergeAdr(ii['adr'] as Dict, v);
    else if (isDict(v) && isDict(ii[k]))
      mergeDicts(ii[k] as Dict, v, { appendLists: true, appendUnique: true });
    else ii[k] = clone(v);
  }
  return ii;
}

/** --dry-run: the hooks may change the deps that come after preprocess (update_deps). */
function hookRewritesDeps(rc: RunContext): boolean {
  rc.hookSource ??= hookSourceText(rc.sel.scriptDir);
  return rc.hookSource.includes('update_deps');
}

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
  const force = (Array.isArray(d['force_env_keys']) ? d['force_env_keys'] : []).map(String);
  for (const k of Object.keys(held)) {
    if (matchesAnyGlob(k, force) || (isTruthy(d['reuse_version']) && k.startsWith(`${P}VERSION`)))
      env[k] = held[k];
  }
  return held;
}
