// The search index of cm suggest, kept beside the artifact index ($CM_REPOS/suggest-index.json)
// and as fresh as it: its key is every script's path, meta stamps (as the artifact index has just
// checked them) and README stamps, so an added, removed or edited script or README rebuilds it.
// Reading it back costs a fraction of reading every meta and README again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type MiniSearchType from 'minisearch';
import type { AsPlainObject, Options } from 'minisearch';
import { Fnv } from '../../../core/hash.js';
import { isDict } from '../../../core/merge.js';
import type { ArtifactEntry } from '../../../db/artifact-entry.js';
import { writeFileAtomic } from '../../../db/atomic-file.js';
import { fastStat } from '../../../db/fast-stat.js';
import type { CmContext } from '../../context.js';
import { SCRIPT_FILTER } from '../select.js';
import { readmeFiles, scriptDocuments, type ScriptDocument } from './documents.js';

const FORMAT = 'cm-suggest/1';

export interface Searchable {
  docs: ScriptDocument[];
  search: MiniSearchType<ScriptDocument>;
}

/** The key of the index for these scripts. */
function keyOf(entries: readonly ArtifactEntry[]): string {
  const h = new Fnv().update(FORMAT);
  for (const e of entries) {
    h.update(`\n${e.path}\0${(e.metaStamps ?? []).join(',')}`);
    for (const f of readmeFiles(e.path)) {
      const st = fastStat(f);
      h.update(st ? `\0${st[0]},${st[1]}` : '\0-');
    }
  }
  return h.hex();
}

function readStored(
  file: string,
  key: string,
): { docs: ScriptDocument[]; index: AsPlainObject } | undefined {
  try {
    const stored: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isDict(stored) || stored['format'] !== FORMAT || stored['key'] !== key) return undefined;
    if (!Array.isArray(stored['docs']) || !isDict(stored['index'])) return undefined;
    return { docs: stored['docs'] as ScriptDocument[], index: stored['index'] as AsPlainObject };
  } catch {
    return undefined; // none yet, or damaged: it is only a cache
  }
}

/** The scripts of every registered repo and their search index, read back or built. */
export function searchableScripts(
  ctx: CmContext,
  MiniSearch: typeof MiniSearchType,
  options: Options<ScriptDocument>,
): Searchable {
  const entries = ctx.index.query({ automation: SCRIPT_FILTER });
  const key = keyOf(entries);
  const file = join(ctx.paths.root, 'suggest-index.json');
  const stored = readStored(file, key);
  if (stored) return { docs: stored.docs, search: MiniSearch.loadJS(stored.index, options) };
  const docs = scriptDocuments(ctx, entries);
  const search = new MiniSearch<ScriptDocument>(options);
  search.addAll(docs);
  try {
    writeFileAtomic(file, JSON.stringify({ format: FORMAT, key, docs, index: search.toJSON() }));
  } catch {
    // a home that cannot be written to only makes the next search slower
  }
  return { docs, search };
}
