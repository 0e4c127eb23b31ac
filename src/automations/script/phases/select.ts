// Phase 1, select: which script a run's names and tags choose (spec R19–R28). A script of a repo
// the user added wins over a built-in one; then scripts with a cache entry; then the user's choice
// (asked once per run and remembered), or the first.
import { isTruthy } from '../../../core/script/env.js';
import { ENV_PREFIX_OF } from '../../../db/repo.js';
import { CACHE_FILTER } from '../../cache/store.js';
import type { Selection } from '../run-context.js';
import type { RunInput } from '../run-input.js';
import type { RunShared } from '../run-shared.js';
import { findScripts, type Candidate } from '../select.js';

export async function selectScript(shared: RunShared, input: RunInput): Promise<Selection> {
  const { split, names } = input;
  const candidates = findScripts(shared.ctx, {
    names,
    include: split.include,
    exclude: split.exclude,
    variations: split.variations,
  });
  const chosen = await chooseScript(
    shared,
    candidates,
    [...new Set(split.include)].sort().join(','),
  );
  const entry = chosen.entry;
  const P = ENV_PREFIX_OF[entry.repo.format] as 'CM_' | 'MLC_';
  return {
    chosen,
    entry,
    scriptDir: entry.path,
    label: `${entry.alias},${entry.uid}`,
    P,
    mlc: P === 'MLC_',
  };
}

async function chooseScript(
  shared: RunShared,
  list: Candidate[],
  tagsKey: string,
): Promise<Candidate> {
  if (list.length === 1) return list[0]!;
  // A script of a repo the user added or pulled wins over the built-in one of the same tags,
  // even when the built-in one already has a cache entry.
  const own = list.filter((c) => c.entry.repo.kind !== 'internal');
  if (own.length > 0 && own.length < list.length) return chooseScript(shared, own, tagsKey);
  const remembered = shared.remembered.get(tagsKey);
  if (remembered) {
    const r = list.find((c) => c.entry.path === remembered);
    if (r) return r;
  }
  // Scripts that already have a cache entry win (R25–R26).
  const cachedOnes = list.filter(
    (c) =>
      isTruthy(c.meta['cache']) &&
      shared.ctx.index.query({
        automation: CACHE_FILTER,
        tags: { include: [`script-artifact-${c.entry.uid}`], exclude: ['tmp'] },
      }).length > 0,
  );
  const pool = cachedOnes.length > 0 ? cachedOnes : list;
  if (pool.length === 1 || shared.quiet || !shared.ctx.isInteractive) {
    shared.remembered.set(tagsKey, pool[0]!.entry.path);
    return pool[0]!;
  }
  const lines = pool.map((c, i) => {
    const name = typeof c.meta['name'] === 'string' ? `"${c.meta['name']}" ` : '';
    return `${i}) ${name}${c.entry.path} (${c.entry.tags.join(',')})`;
  });
  const answer = await shared.ctx.ask(
    `More than 1 script found for "${tagsKey}":\n${lines.join('\n')}\nMake your selection or press Enter for 0: `,
  );
  const n = Number.parseInt(answer, 10);
  const chosen = pool[Number.isInteger(n) && n >= 0 && n < pool.length ? n : 0]!;
  shared.remembered.set(tagsKey, chosen.entry.path);
  return chosen;
}
