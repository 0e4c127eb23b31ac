// `cm find|search|ls|list <automation> [names...] [--tags=a,-b]`: print the path of each match.
import type { Dict } from '../../core/merge.js';
import type { ActionSpec } from '../action.js';
import { bool } from '../input.js';
import { artifactView, nearNames, select } from './select.js';

export const search: ActionSpec = {
  summary:
    'find artifacts by name (alias, uid, repo:alias, wildcards) and/or tags; prints their paths',
  usage: 'cm find AUTOMATION [[repo:]NAME ...] [--tags=a,b,-c]',
  flags: [
    ['--tags=a,b,-c', 'all of a and b, none of c'],
    ['--uid', 'print alias,uid instead of paths'],
  ],
  run(input, ctx, automation) {
    const sel = select(ctx, automation, input);
    const showUid = bool(input, 'uid');
    if (sel.found.length > 0) {
      ctx.emit({
        type: 'output',
        text: sel.found.map((e) => (showUid ? `${e.alias},${e.uid}` : e.path)).join('\n'),
      });
    }
    if (sel.found.length === 0 && (sel.refs.length > 0 || sel.tags.include.length > 0)) {
      const hint = nearNames(ctx, automation, sel);
      if (hint) ctx.emit({ type: 'note', text: `nothing found; ${hint}` });
    }
    const result: Dict = { list: sel.found.map(artifactView) };
    return result;
  },
};
