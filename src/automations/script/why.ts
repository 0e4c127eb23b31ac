// `cm show cache --why "TAGS"`: what a run of a script would do with the cache and why, taken from
// its --dry-run plan (the same resolution and lookup as a run; nothing runs, nothing is written).
import type { CmContext } from '../context.js';
import { resolveAutomation } from '../registry.js';
import { renderExplain } from './plan.js';
import { newShared, runScript, type RunNode } from './run.js';

export interface CacheWhy {
  tree: RunNode;
  /** One --explain line per node of the plan. */
  text: string;
}

/** Plan a run of the script named by `tags` (a name, or tags with _variations) and explain it. */
export async function explainCache(ctx: CmContext, tags: string): Promise<CacheWhy> {
  const words = tags
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  const input =
    words.length === 1 && !words[0]!.startsWith('_')
      ? { artifact: words[0], dry_run: true, s: true }
      : { tags: words.join(','), dry_run: true, s: true };
  const shared = newShared(ctx, resolveAutomation(ctx, 'script'), input);
  shared.quiet = true;
  const tree: RunNode = { tags: '', status: 'ran', deps: [] };
  await runScript(input, shared, ctx.cwd, tree);
  return { tree, text: renderExplain(tree) };
}
