// The one context of a script's run that its phases (phases/*.ts) read and change. The env and
// state that the reference shares by reference with the caller and with every dep travel only in
// its named fields `env`, `state`, `constEnv` and `constState`: a reader sees where they change.
import { clone, mergeDicts, type Dict } from '../../core/merge.js';
import type { DepList } from '../../core/script/deps.js';
import type { Env } from '../../core/script/env.js';
import type { ScriptStep } from '../../core/events.js';
import { lockTimeoutMs } from '../../db/lock.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import type { Rejection } from '../cache/reasons.js';
import type { CacheEntry, CacheKey } from '../cache/store.js';
import type { VersionConstraints } from '../../core/script/versions.js';
import type { ResolvedScriptMeta } from '../../core/script/script-meta.js';
import type { HookModule } from './hook-types.js';
import type { OsInfo } from './host.js';
import type { RunNode, RunShared } from './run-shared.js';
import type { RunInput } from './run-input.js';
import type { Candidate } from './select.js';
import { holdWorkFolder } from './work-folder-lock.js';

/** Phase 1 (select): the script chosen and what its repo's format implies. */
export interface Selection {
  chosen: Candidate;
  entry: ArtifactEntry;
  scriptDir: string;
  /** "alias,uid": how messages and cache entries name the script. */
  label: string;
  /** The env prefix of the script's repo: CM_ or MLC_. */
  P: 'CM_' | 'MLC_';
  /** MLC repos follow mlcflow where it differs from CM (spec §15). */
  mlc: boolean;
}

/** Phase 2 (resolve): the script's plan, from its meta, variations, version and inputs. */
export interface Resolution {
  /** The script's meta resolved once, at load (typed lists and flags; core/script/script-meta.ts). */
  spec: ResolvedScriptMeta;
  /** The meta the hooks see: a copy of the written one, its dep lists the live ones below. */
  meta: Dict;
  variationTags: string[];
  variationsString: string;
  /** The variation group of a variation name (for dep tags that name a group). */
  groupOf: (v: string) => string | undefined;
  version: string;
  versionFrom: string;
  constraints: VersionConstraints;
  newEnvKeys: unknown[];
  newStateKeys: unknown[];
  /** The meta (or a variation) says the script is cached. */
  cacheable: boolean;
  /** This run uses the cache (cacheable, not --skip_cache, not a fake run, or --force_cache). */
  useCache: boolean;
  expiration: number | undefined;
  scriptName: string | undefined;
  warnings: string[];
  metaCleanFiles: readonly string[];
  extraCacheTags: string[];
  /** Cache-entry tags taken from env after the run (extra_cache_tags_from_env). */
  tagsFromEnv: () => string[];
  /** Env keys never passed to deps (the local keys and the meta's local_env_keys). */
  localKeys: string[];
  /** What post deps do not get either (the local keys and clean_env_keys_post_deps). */
  postWithheld: string[];
  osInfo: OsInfo;
  /** Cycle detection: the same script, variations and version already on the stack. */
  stackKey: string;
  stackLabel: string;
  /** The `cm run script "..."` line this run answers. */
  command: string;
}

/** Phase 3 (cache): what the lookup found, and the entry this run makes (if any). */
export interface CacheState {
  key: CacheKey;
  lookedUp: boolean;
  hit: CacheEntry | undefined;
  renewEntry: CacheEntry | undefined;
  userWantsNew: boolean;
  rejections: Rejection[];
  /** Entries validate_cache.sh or detect_version rejected (not taken after a lock wait). */
  rejectedPaths: Set<string>;
  entryPath: string | undefined;
  lock: { release(): void } | undefined;
}

/** The caller's env, state and consts, changed in place, and what they were before this run. */
export interface RunDicts {
  env: Env;
  state: Dict;
  /** const and const_state win over everything else; re-applied at each step (spec §5.2). */
  constEnv: Env;
  constState: Dict;
  /** The caller's env and state before this run: a skip or failure puts them back. */
  savedEnv: Env;
  savedState: Dict;
}

export interface RunContext extends RunDicts {
  shared: RunShared;
  input: RunInput;
  /** The caller's working folder (a parent's cache entry for deps). */
  cwd: string;
  node: RunNode;
  started: number;
  sel: Selection;
  res: Resolution;
  /** --adr: given to every dep below. */
  adr: Dict;
  /** The four dep lists, live: hooks may change them (meta.deps ...). */
  lists: Record<DepList, Dict[]>;
  fakeRun: boolean;
  /** The version: resolved, then the cache entry's on a hit. */
  version: string;
  workDir: string;
  /** Working folders this run holds until its clean-up (see work-folder-lock.ts). */
  folderReleases: Array<() => void>;
  /** The script's hooks: null until loaded, undefined when it has none. */
  hooks: HookModule | undefined | null;
  cache: CacheState;
  /** Tags of the deps that ran (CM's result `deps`). */
  runDepsTags: string[];
  /** The version a hook detected, and the cache tags hooks added. */
  hookVersion: string | undefined;
  versionTag: string;
  addedTags: string[];
  /** The native step wrote its tmp-* files in the working folder. */
  wroteWrapper: boolean;
  /** --dry-run: the text of the script's hooks (what they may do at run time), read once. */
  hookSource: string | undefined;
  /** Runs a dep (or a replacement script) as a child of this run. */
  runChild: (input: Dict, shared: RunShared, cwd: string, node: RunNode) => Promise<Dict>;
}

/** Re-applies const and const_state over the env and state. */
export function applyConst(rc: RunDicts): void {
  Object.assign(rc.env, clone(rc.constEnv));
  mergeDicts(rc.state, clone(rc.constState));
}

/** Emits a step of this run (nothing under --silent). */
export function emitStep(rc: RunContext, step: ScriptStep): void {
  if (!rc.shared.silent) rc.shared.ctx.emit({ type: 'script', depth: rc.shared.depth, step });
}

export function debug(rc: RunContext, text: string): void {
  rc.shared.ctx.emit({ type: 'debug', namespace: 'script', text });
}

/** Takes a working folder for this run until releaseFolders (another cm run there waits). */
export async function holdFolder(rc: RunContext, dir: string): Promise<() => void> {
  const { shared } = rc;
  return holdWorkFolder(dir, shared.heldFolders, {
    onWait: (pid) =>
      emitStep(rc, { kind: 'waiting', text: `waiting for another cm run in ${dir} (pid ${pid})` }),
    timeoutMs: lockTimeoutMs(shared.ctx.env),
    mustWrite: !shared.skipWriteTest,
    cwd: shared.ctx.cwd,
  });
}

export function releaseFolders(rc: RunContext): void {
  for (const r of rc.folderReleases.splice(0).reverse()) r();
}
