// `cm show cache --why "TAGS"`: what a run of a script would do with the cache and why, taken from
// its --dry-run plan (the same resolution and lookup as a run; nothing runs, nothing is written).
// The plan comes through `ctx.access`, as any action's call of another, so the cache automation
// needs no import of the engine or the registry.
import { CmError, type CmErrorCode } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import type { CmContext } from '../context.js';
import { renderExplain } from './plan.js';
import type { RunNode } from './run-shared.js';

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
  const named =
    words.length === 1 && !words[0]!.startsWith('_')
      ? { artifact: words[0] }
      : { tags: words.join(',') };
  const r: Dict = await ctx.access({
    action: 'run',
    automation: 'script',
    ...named,
    dry_run: true,
    s: true,
    quiet: true,
  });
  if (typeof r['return'] === 'number' && r['return'] > 0) {
    throw new CmError((r['code'] as CmErrorCode | undefined) ?? 'bad-input', String(r['error']), {
      hint: typeof r['hint'] === 'string' ? r['hint'] : undefined,
      returnCode: r['return'],
    });
  }
  const tree = r['tree'] as RunNode;
  return { tree, text: renderExplain(tree) };
}
