// One dep of the deps phase, from its entry to its child run: whether it runs (conditions), its
// tags and env, what it must not see, its run input, and a clear error if it matches no script.
// Shared by the one-after-the-other loop (deps.ts) and the side-by-side one (deps-parallel.ts).
import { CmError, isCmError } from '../../../core/errors.js';
import { clone, isDict, mergeDicts, type Dict } from '../../../core/merge.js';
import { DEP_KEYS, depTags, mergeAdr, namesOf, type DepList } from '../../../core/script/deps.js';
import {
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
import { emitStep, type RunContext } from '../run-context.js';
import { hookSourceText } from '../run-files.js';
import type { RunNode, RunShared } from '../run-shared.js';

export interface DepsInput {
  list: DepList;
  /** The script's result comes from its cache: only `dynamic` deps run. */
  fromCache: boolean;
  /** Env key globs the deps must not see (the local keys; for post deps also the post ones). */
  withhold: string[];
}

/** --dry-run: the reason of a planned dep that a hook may change before it runs. */
const REWRITTEN = 'may change at run time';

/** A dep that will run: its entry (d0), the copy it runs with (d), its env, tags and tree node. */
export interface StartedDep {
  d0: Dict;
  d: Dict;
  denv: Dict;
  childTags: string;
  child: RunNode;
}

/**
 * The first steps of a dep: undefined when it does not run (no tags; not dynamic under a cache
 * hit; its conditions say so, recorded in the tree). Else its tags and env are made with `env`
 * (the env it is launched with) and it is added to the tree and to the run's `deps`.
 */
export function startDep(
  rc: RunContext,
  di: DepsInput,
  d0: Dict,
  env: Env,
): StartedDep | undefined {
  const { shared, node } = rc;
  if (tagList(d0['tags']).length === 0) return undefined;
  for (const n of namesOf(d0)) shared.depNames.add(n);
  const child: RunNode = {
    tags: tagList(d0['tags']).join(','),
    list: di.list,
    status: 'ran',
    deps: [],
  };
  if (di.fromCache && !isTruthy(d0['dynamic'])) return undefined;
  const skip = whySkipped(rc, d0, env);
  if (skip) {
    child.status = skip.status;
    child.reason = skip.reason;
    node.deps.push(child);
    emitStep(rc, { kind: 'dep-skipped', tags: child.tags, reason: skip.reason });
    return undefined;
  }
  // Clean behaviour (QUIRK Q15): the dep entry is not consumed; a copy is used.
  const d = clone(d0);
  const denv = isDict(d['env']) ? d['env'] : {};
  for (const [k, v] of Object.entries(denv))
    if (typeof v === 'string') denv[k] = expandString(v, { ...env, ...denv });
  const childTags = depTags(d, env, {
    tagsString: rc.res.variationsString,
    groupOf: rc.res.groupOf,
  });
  child.tags = childTags;
  // mlcflow writes a dep's effective tags and expanded env into the dep list it reports (-j).
  if (rc.sel.mlc) {
    d0['tags'] = childTags;
    if (isDict(d0['env'])) d0['env'] = clone(denv);
  }
  rc.runDepsTags.push(childTags);
  node.deps.push(child);
  return { d0, d, denv, childTags, child };
}

/** Why a dep does not run: its conditions say so, or (--dry-run) they need a run-time value. */
function whySkipped(
  rc: RunContext,
  d0: Dict,
  env: Env,
): { status: 'skipped' | 'depends'; reason: string } | undefined {
  const { shared } = rc;
  const unknown = shared.plan ? runTimeConditionKeys(d0, shared.runTimeKeys, rc.constEnv) : [];
  if (unknown.length > 0)
    return { status: 'depends', reason: `depends on run-time value ${unknown.join(', ')}` };
  const reason = skipReason(d0, env, rc.sel.P);
  return reason === undefined ? undefined : { status: 'skipped', reason };
}

/**
 * The child run of a started dep with `env` and `state` (the run's own, or copies for a dep run
 * side by side) under `shared` (the run's, or a branch of it): the stack, and a clear error if it
 * matches no script.
 */
export async function runStartedDep(
  rc: RunContext,
  di: DepsInput,
  o: StartedDep,
  where: { env: Env; state: Dict; shared: RunShared; branch: boolean },
): Promise<Dict> {
  const { shared } = where;
  const ii = depInput(rc, o.d, o.denv, o.childTags, where);
  if (!where.branch) {
    shared.depth++;
    shared.stack.push({ key: rc.res.stackKey, label: rc.res.stackLabel });
  }
  try {
    const r = await rc.runChild(ii, shared, rc.workDir, o.child);
    if (shared.plan && !di.fromCache && di.list !== 'deps' && hookRewritesDeps(rc))
      o.child.reason ??= `${REWRITTEN}: the hooks of "${rc.sel.entry.alias}" call update_deps`;
    return r;
  } catch (e) {
    throw depNotFound(rc, di, o, e);
  } finally {
    if (!where.branch) {
      shared.stack.pop();
      shared.depth--;
    }
  }
}

/** A dep that matched no script is named with its parent, list and meta file. */
function depNotFound(rc: RunContext, di: DepsInput, o: StartedDep, e: unknown): unknown {
  if (
    !isCmError(e) ||
    (e.code !== 'script-not-found' && e.code !== 'variation-unknown') ||
    e.details?.['parent'] !== undefined
  )
    return e;
  const nm = namesOf(o.d0);
  return new CmError(
    e.code,
    `dependency "${o.childTags}" of script "${rc.sel.entry.alias}" (${di.list}${nm.length ? `, names ${nm.join(',')}` : ''}) matched no script: ${e.message}`,
    {
      hint: `${e.hint ? `${e.hint}\n` : ''}the dep is in ${metaFileFor(rc.sel.scriptDir)} (${di.list}, or a variation's ${di.list})${nm.length ? `; --adr.${nm[0]}.tags=... changes its tags` : ''}`,
      details: { parent: rc.sel.label, dep: o.d0 },
    },
  );
}

/** A dep's run input: the env and state it runs with, consts, --adr and the dep entry's keys. */
function depInput(
  rc: RunContext,
  d: Dict,
  denv: Dict,
  childTags: string,
  where: { env: Env; state: Dict },
): Dict {
  const ii: Dict = {
    action: 'run',
    automation: 'script',
    tags: childTags,
    recursion: true,
    env: where.env,
    state: where.state,
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
export function withholdFromDep(env: Env, withhold: string[], d: Dict, P: string): Env {
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
