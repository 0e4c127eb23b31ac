// The script an Artifact Appendix describes: its meta (name, description, flags) as registered
// here, found by the uid a lockfile records or by planning `cm run script "TAGS"` (nothing runs).
import type { Dict } from '../../core/merge.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import type { CmContext } from '../context.js';
import { resolveAutomation } from '../registry.js';
import { plannedLockfile } from '../script/lockfile/frozen.js';
import type { Lockfile } from '../script/lockfile/lockfile.js';
import { loadMeta, SCRIPT_FILTER } from '../script/select.js';
import type { LockedRun } from './locked-run.js';

export interface ScriptFacts {
  alias: string;
  uid: string;
  tags: string[];
  repo: string;
  meta: Dict;
}

function factsOf(ctx: CmContext, entry: ArtifactEntry): ScriptFacts {
  return {
    alias: entry.alias,
    uid: entry.uid,
    tags: entry.tags,
    repo: entry.repo.alias,
    meta: loadMeta(ctx, entry),
  };
}

/** The script a lockfile's run ran, when it is registered here (by uid). */
export function scriptOfLock(ctx: CmContext, lock: Lockfile): ScriptFacts | undefined {
  const uid = lock.tree.uid;
  if (!uid) return undefined;
  const entry = ctx.index.query({ automation: SCRIPT_FILTER }).find((e) => e.uid === uid);
  return entry ? factsOf(ctx, entry) : undefined;
}

/** The lockfile of a plan of `cm run script "TAGS"`: the script and deps a run would select. */
export async function plannedRun(ctx: CmContext, tags: string): Promise<LockedRun> {
  const automation = resolveAutomation(ctx, 'script');
  const input = { action: 'run', automation: 'script', artifact: tags };
  return { shown: '', lock: await plannedLockfile(ctx, automation, input) };
}
