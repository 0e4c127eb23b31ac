// The deps phase with --parallel=N: a dep may start before an earlier sibling is done only if the
// metas and code say they are independent (core/script/dep-independence.ts, from the footprint
// of each subtree: dep-footprint.ts). Each dep runs on copies of the env and state; the results
// are merged in declaration order exactly as one after the other, so env, state, new_env and the
// -j tree are the same. Their output is held per dep and given out whole, in order.
import { clone, isDict, mergeDicts, type Dict } from '../../../core/merge.js';
import { conflictOf, type SubtreeFootprint } from '../../../core/script/dep-independence.js';
import { expandEnv, mergeEnv } from '../../../core/script/env.js';
import { tagList } from '../../../core/tags.js';
import { orderedEvents, withEmit } from '../buffered-events.js';
import { footprintOfDep } from '../dep-footprint.js';
import { runSiblings } from '../dep-scheduler.js';
import { applyConst, debug, type RunContext } from '../run-context.js';
import type { RunShared } from '../run-shared.js';
import { runStartedDep, startDep, withholdFromDep, type DepsInput } from './dep-run.js';

/** A dep that ran: its result and the entry copy it ran with (for the merge). */
type Ran = { r: Dict; d: Dict } | undefined;

export async function runDepsSideBySide(rc: RunContext, di: DepsInput): Promise<void> {
  const { shared } = rc;
  const { ctx } = shared;
  const list = [...rc.lists[di.list]];
  const prints: Array<SubtreeFootprint | undefined> = [];
  /** Taken at launch, with the env the dep is launched with. */
  const footprintOf = (i: number): SubtreeFootprint =>
    (prints[i] ??= footprintOfDep(ctx, list[i]!, rc.adr, rc.sel.P, shared.footprints, {
      env: rc.env,
      parent: { tagsString: rc.res.variationsString, groupOf: rc.res.groupOf },
    }));
  const events = orderedEvents(ctx.emit, list.length, {
    id: `deps-${shared.depth}-${di.list}`,
    label: (i) => tagList(list[i]!['tags']).join(','),
  });
  const launch = async (i: number): Promise<Ran> => {
    events.started(i);
    try {
      return await runOne(rc, di, list[i]!, branchOf(rc, withEmit(ctx, events.sinkOf(i))));
    } finally {
      events.finished(i); // skipped ones too: later deps' output must not wait for them
    }
  };
  try {
    await runSiblings<Ran>(list.length, {
      limit: shared.parallel,
      canStartEarly: (i, unmerged) =>
        unmerged.every((j) => {
          const why = conflictOf(footprintOf(j), footprintOf(i));
          if (why) debug(rc, `dep ${i} of ${di.list} waits for dep ${j}: ${why}`);
          return why === undefined;
        }),
      run: (i) => {
        footprintOf(i);
        return launch(i);
      },
      merge: (_i, ran) => {
        if (ran) mergeAsOneAfterTheOther(rc, di, ran);
      },
      describe: (i) => tagList(list[i]!['tags']).join(','),
    });
  } finally {
    events.close();
  }
}

/** A branch of the run for one dep run side by side: its own output, stack and held folders. */
function branchOf(rc: RunContext, ctx: RunShared['ctx']): RunShared {
  const { shared } = rc;
  return {
    ...shared,
    ctx,
    stack: [...shared.stack, { key: rc.res.stackKey, label: rc.res.stackLabel }],
    depth: shared.depth + 1,
    // It re-enters its ancestors' folders (they wait for it), but a folder a sibling takes is
    // in that sibling's map only: this branch waits for it (no two share tmp-* files).
    heldFolders: new Map(shared.heldFolders),
  };
}

/** One dep on copies of the env and state (the parent's are changed only by the merge). */
async function runOne(rc: RunContext, di: DepsInput, d0: Dict, branch: RunShared): Promise<Ran> {
  const started = startDep(rc, di, d0, rc.env);
  if (!started) return undefined;
  const env = clone(rc.env);
  withholdFromDep(env, di.withhold, started.d, rc.sel.P);
  const r = await runStartedDep(rc, di, started, {
    env,
    state: clone(rc.state),
    shared: branch,
    branch: true,
  });
  return { r, d: started.d };
}

/**
 * What the one-after-the-other loop does to the parent around a dep, in the same order: the
 * withheld keys out, the dep's exports in (a child run leaves its caller's env as before ⊕
 * new_env on every path), the withheld keys back, then env expansion and the consts.
 */
function mergeAsOneAfterTheOther(rc: RunContext, di: DepsInput, ran: NonNullable<Ran>): void {
  const held = withholdFromDep(rc.env, di.withhold, ran.d, rc.sel.P);
  mergeEnv(rc.env, isDict(ran.r['new_env']) ? ran.r['new_env'] : {});
  mergeDicts(rc.state, isDict(ran.r['new_state']) ? ran.r['new_state'] : {}, {
    appendLists: true,
    appendUnique: true,
  });
  Object.assign(rc.env, held);
  expandEnv(rc.env);
  applyConst(rc);
}
