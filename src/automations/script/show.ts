// `cm show script` (mlcflow's `mlc show script`): where the found scripts are and the keys of their
// meta that say how to use them; `cm load script` prints the whole meta.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDict, type Dict } from '../../core/merge.js';
import { splitScriptTags } from '../../core/script/variations.js';
import { tagList } from '../../core/tags.js';
import { metaFilesIn } from '../../db/artifact.js';
import type { ActionSpec } from '../action.js';
import { artifactView } from '../generic/select.js';
import { artifactNames } from '../input.js';
import { findScripts, type Candidate } from './select.js';

const SHOWN_KEYS = ['uid', 'alias', 'name', 'tags', 'cache', 'new_env_keys', 'new_state_keys'];

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function metaFileOf(path: string): string {
  const names = metaFilesIn(path) ?? [];
  const found = names.find((n) => existsSync(join(path, n)));
  return join(path, found ?? '_cm.yaml');
}

export function showText(c: Candidate): string {
  const lines = [c.entry.path];
  const present = SHOWN_KEYS.filter((k) => c.meta[k] !== undefined);
  const width = Math.max(...present.map((k) => k.length), 'input_mapping'.length);
  for (const k of present) lines.push(`  ${k.padEnd(width)}  ${shown(c.meta[k])}`);
  const mapping = c.meta['input_mapping'];
  if (isDict(mapping) && Object.keys(mapping).length > 0) {
    lines.push('  input_mapping:');
    for (const [flag, key] of Object.entries(mapping))
      lines.push(`    --${flag.padEnd(width - 2)}  ${shown(key)}`);
  }
  lines.push(`  ${'meta file'.padEnd(width)}  ${metaFileOf(c.entry.path)}`);
  return lines.join('\n');
}

export const show: ActionSpec = {
  summary: 'print where scripts are and the main keys of their meta (cm load script: all of it)',
  usage: 'cm show script NAME|"TAGS" [--tags=a,b]',
  flags: [['--tags=a,b', 'select by tags (variation tags _x are ignored)']],
  run(input, ctx) {
    const names = artifactNames(input).filter((n) => !/\s/.test(n.trim()));
    const tags = [
      ...tagList(input['tags']),
      ...artifactNames(input)
        .filter((n) => /\s/.test(n.trim()))
        .flatMap((n) => n.trim().split(/\s+/)),
    ];
    const split = splitScriptTags(tags);
    const found = findScripts(ctx, { ...split, names, variations: [] });
    ctx.emit({ type: 'output', text: found.map(showText).join('\n\n') });
    return {
      list: found.map((c) => ({ ...artifactView(c.entry), meta: c.meta as Dict })),
    };
  },
};
