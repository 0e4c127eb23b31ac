// What one top-level `cm run script` shares with the runs of its deps (RunShared, made once by
// newShared), and the tree of what ran (RunNode): the types the engine, the hook API, the plan
// and --explain read, in a file of their own so that none of them imports the engine for a type.
import type { DownloadedFile } from './lockfile/downloads.js';
import type { Dict } from '../../core/merge.js';
import type { DepList } from '../../core/script/deps.js';
import { isTrue } from '../../core/script/env.js';
import { CommandMemos } from '../../db/dir-listing.js';
import type { AutomationHandle } from '../action.js';
import type { NodeCache } from '../cache/reasons.js';
import type { CmContext } from '../context.js';
import { hostOsInfo, type OsInfo } from './host.js';
import type { HookWorkers } from './hook-types.js';
import type { HeldFolders } from './work-folder-lock.js';
import { newFootprintMemo, type FootprintMemo } from './dep-footprint.js';
import { parseParallel } from './parallel-flag.js';

/** One node of the run (or plan) tree: what ran, from where, how long. */
export interface RunNode {
  script?: string;
  uid?: string;
  path?: string;
  tags: string;
  list?: DepList;
  variations?: Array<{ name: string; from: string }>;
  version?: string;
  version_from?: string;
  /** What entered the cache key besides the script and version (for lockfiles). */
  key?: { variations: string[]; extra_tags: string[] };
  /** Files the script downloaded (download-file and its kind), for lockfiles. */
  downloads?: DownloadedFile[];
  status:
    'ran' | 'cached' | 'will-run' | 'will-reuse' | 'fake-run' | 'skipped' | 'recorded' | 'depends';
  cache_entry?: string;
  /** Whether the cache was used, and why not (absent where the script was never reached). */
  cache?: NodeCache;
  reason?: string;
  /** --dry-run: what a dry_run hook says the script would run. */
  commands?: string[];
  ms?: number;
  deps: RunNode[];
}

/** What one top-level `cm run script` shares with all the runs of its deps. */
export interface RunShared {
  ctx: CmContext;
  automation: AutomationHandle;
  os: OsInfo;
  /** --dry-run: resolve and look up caches, run nothing. */
  plan: boolean;
  /** --dry-run: cache keys of the scripts planned to run (a later dep with one reuses its entry). */
  plannedKeys: Set<string>;
  /** --dry-run: env key globs that planned scripts set at run time ('*': any key). */
  runTimeKeys: string[];
  /** Choices made by the user (scripts by tag set), asked once per run. */
  remembered: Map<string, string>;
  stack: Array<{ key: string; label: string }>;
  /** `names` of every dep met in this run (to point out an --adr.NAME that matched none). */
  depNames: Set<string>;
  depth: number;
  silent: boolean;
  verbose: boolean;
  quiet: boolean;
  /** Working folders this run tree holds (another cm run there waits: they share tmp-* names). */
  heldFolders: HeldFolders;
  /** --skip_write_test: a working folder that is not writable is not refused up front. */
  skipWriteTest: boolean;
  /** Input keys the scripts of this run take (their metas' inputs, what their JS hooks read). */
  inputKeys: Set<string>;
  /** --parallel=N: how many independent deps of a script may run at once. */
  parallel: number;
  /** What each dep's subtree reads and exports (for --parallel), walked once per run. */
  footprints: FootprintMemo;
  /** The hook workers of this run (the Python worker, started by its first customize.py with
   *  this run's env); stopped when the top-level run ends (actions.ts). */
  hookWorkers: HookWorkers;
  /** What this run read from folders (listings, script files, fingerprints): a run started
   *  later, or at the same time, reads afresh (actions.ts puts the run in withCommandMemos). */
  memos: CommandMemos;
}

export function newShared(ctx: CmContext, automation: AutomationHandle, input: Dict): RunShared {
  return {
    ctx,
    automation,
    os: hostOsInfo(),
    plan: ['dry_run', 'dry-run', 'dryrun', 'plan'].some((k) => isTrue(input[k])),
    plannedKeys: new Set(),
    runTimeKeys: [],
    remembered: new Map(),
    stack: [],
    depNames: new Set(),
    depth: 0,
    silent: isTrue(input['s']) || isTrue(input['silent']),
    verbose: isTrue(input['v']) || isTrue(input['verbose']),
    quiet: false,
    heldFolders: ctx.heldFolders ?? new Map(),
    skipWriteTest: isTrue(input['skip_write_test']),
    inputKeys: new Set(),
    parallel: parseParallel(input, ctx.env),
    footprints: newFootprintMemo(),
    hookWorkers: new Map(),
    memos: new CommandMemos(),
  };
}
