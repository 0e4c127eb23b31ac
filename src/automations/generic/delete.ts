// `cm rm|delete|remove <automation> NAMES... [--tags=...] -f`: delete artifacts; asks on a TTY,
// refuses (without deleting anything) when nobody can answer and -f is missing.
import { CmError } from '../../core/errors.js';
import { removeArtifactDir } from '../../db/artifact-write.js';
import type { ActionSpec } from '../action.js';
import { isForce } from '../input.js';
import { artifactView, notFound, select } from './select.js';

export const del: ActionSpec = {
  summary: 'delete artifacts (asks for confirmation unless -f)',
  usage: 'cm rm AUTOMATION [repo:]NAME ... [--tags=...] [-f]',
  flags: [
    ['--tags=...', 'select by tags'],
    ['-f, --force', 'do not ask'],
  ],
  async run(input, ctx, automation) {
    const sel = select(ctx, automation, input);
    if (sel.refs.length === 0 && sel.tags.include.length + sel.tags.exclude.length === 0) {
      throw new CmError(
        'bad-input',
        `name the ${automation.alias} artifacts to delete or give --tags`,
        {
          hint: `cm rm ${automation.alias} NAME -f`,
        },
      );
    }
    if (sel.found.length === 0) throw notFound(ctx, automation, sel, 'artifact(s)');
    const force = isForce(input);
    if (!force && !ctx.isInteractive) {
      throw new CmError(
        'not-confirmed',
        `refusing to delete ${sel.found.length} artifact(s) without confirmation: stdin is not a terminal`,
        {
          hint: 'add -f (--force) to delete without asking',
          details: { candidates: sel.found.map((e) => e.path) },
        },
      );
    }
    const deleted: string[] = [];
    for (const e of sel.found) {
      const tags = e.tags.join(',');
      if (!force && !(await ctx.confirm(`Delete CM artifact in ${e.path} with tags "${tags}"?`))) {
        ctx.emit({ type: 'info', text: `Skipped ${e.path}` });
        continue;
      }
      removeArtifactDir(e.path);
      deleted.push(e.path);
      ctx.emit({ type: 'info', text: `Deleted CM artifact in ${e.path} with tags "${tags}"` });
    }
    ctx.index.markStale();
    return { deleted, list: sel.found.filter((e) => deleted.includes(e.path)).map(artifactView) };
  },
};
