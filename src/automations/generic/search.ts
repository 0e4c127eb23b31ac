// `cm find|search|ls|list <automation> [names...] [--tags=a,-b]`: print the path of each match.
import type { Dict } from '../../core/merge.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import type { ActionSpec } from '../action.js';
import { bool } from '../input.js';
import { artifactView, nearNames, select } from './select.js';

const LINES_PER_OUTPUT = 500;

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
    // In batches of lines: a listing of 10,000 never makes a string (and a copy to print) of all.
    for (let i = 0; i < sel.found.length; i += LINES_PER_OUTPUT) {
      const lines = sel.found.slice(i, i + LINES_PER_OUTPUT);
      ctx.emit({
        type: 'output',
        text: lines.map((e) => (showUid ? `${e.alias},${e.uid}` : e.path)).join('\n'),
      });
    }
    if (sel.found.length === 0 && (sel.refs.length > 0 || sel.tags.include.length > 0)) {
      const hint = nearNames(ctx, automation, sel);
      if (hint) ctx.emit({ type: 'note', text: `nothing found; ${hint}` });
    }
    return listResult(sel.found);
  },
};

/**
 * The result, whose `list` is made when first read (then it stays a plain value): `cm ls` of
 * 10,000 artifacts prints their paths and never reads it, --json and library callers do.
 */
function listResult(found: readonly ArtifactEntry[]): Dict {
  const result: Dict = {};
  const settle = (list: unknown): unknown =>
    Object.defineProperty(result, 'list', {
      value: list,
      writable: true,
      enumerable: true,
      configurable: true,
    }).list;
  return Object.defineProperty(result, 'list', {
    get: () => settle(found.map(artifactView)),
    set: settle,
    enumerable: true,
    configurable: true,
  });
}
