// Artifact meta on disk: load (YAML then JSON, shallow merge, `_base` inheritance) and save.
import { existsSync } from 'node:fs';
import { fastStat, type FileStat } from './fast-stat.js';
import { join } from 'node:path';
import { CmError } from '../core/errors.js';
import { clone, mergeDicts, type Dict } from '../core/merge.js';
import {
  ARTIFACT_META_FILES,
  assertReadable,
  baseMatcher,
  findBase,
  type ArtifactEntry,
} from './artifact-entry.js';
import { writeDictFile } from './meta-file.js';
import { META_FILES_OF, metaFilesOf } from './repo.js';
import { readMetaFileCached } from './meta-cache.js';

export interface LoadedArtifact {
  entry: ArtifactEntry;
  path: string;
  /** Meta with `_base` inheritance applied. */
  meta: Dict;
  /** Meta as written in the artifact's own files. */
  originalMeta: Dict;
}

/**
 * Read and shallow-merge an artifact folder's meta files (JSON keys override YAML keys): `files`
 * are the repo format's names (default CM's _cm.yaml, _cm.json).
 */
export function readArtifactMeta(
  path: string,
  cacheDir?: string,
  stamps?: number[],
  files: readonly string[] = ARTIFACT_META_FILES,
): Dict {
  const meta: Dict = {};
  let found = false;
  for (let f = 0; f < files.length; f++) {
    const name = files[f]!;
    const file = join(path, name);
    const known = stamps?.[f * 2];
    const st: FileStat | undefined =
      known === undefined
        ? fastStat(file)
        : known === -1
          ? undefined
          : [known, stamps![f * 2 + 1]!, true];
    if (!st) continue;
    found = true;
    Object.assign(meta, readMetaFileCached(file, cacheDir, st));
  }
  if (!found) throw new CmError('artifact-not-found', `${path} holds no ${files.join(' or ')}`);
  return meta;
}

export function loadArtifact(
  entry: ArtifactEntry,
  /** All artifacts, asked for only when `_base` must be resolved. */
  all: () => readonly ArtifactEntry[],
  options: { ignoreInheritance?: boolean; cacheDir?: string } = {},
): LoadedArtifact {
  assertReadable(entry);
  const originalMeta = readArtifactMeta(
    entry.path,
    options.cacheDir,
    entry.metaStamps,
    metaFilesOf(entry.repo),
  );
  let meta = clone(originalMeta);
  if (!options.ignoreInheritance) {
    const chain: ArtifactEntry[] = [];
    let cur: ArtifactEntry | undefined = entry;
    while (cur?.base !== undefined) {
      const base = findBase(all(), cur);
      if (!base && baseMatcher(cur)(cur)) {
        throw new CmError(
          'inheritance-too-deep',
          `${cur.path}: _base "${cur.base}" names the artifact itself`,
          {
            hint: 'point _base to another artifact ("automation::artifact" or "artifact"), or remove it',
          },
        );
      }
      if (!base) {
        throw new CmError(
          'artifact-not-found',
          `${cur.path}: base artifact "${cur.base}" of _base not found`,
          {
            hint: 'fix _base ("automation::artifact" or "artifact") or add the base artifact',
          },
        );
      }
      if (chain.length >= 10 || chain.includes(base)) {
        throw new CmError(
          'inheritance-too-deep',
          `${entry.path}: _base inheritance is deeper than 10 or circular`,
        );
      }
      chain.push(base);
      cur = base;
    }
    if (chain.length > 0) {
      let merged: Dict = {};
      for (const base of chain.reverse()) {
        assertReadable(base);
        const baseMeta = readArtifactMeta(
          base.path,
          options.cacheDir,
          undefined,
          metaFilesOf(base.repo),
        );
        delete baseMeta['_base'];
        merged = mergeDicts(merged, baseMeta, { appendLists: true });
      }
      const own = clone(originalMeta);
      delete own['_base'];
      meta = mergeDicts(merged, own, { appendLists: true });
    }
  }
  return { entry, path: entry.path, meta, originalMeta };
}

/** The meta file names, of either format, that an artifact folder has (CM's first); none: undefined. */
export function metaFilesIn(path: string): readonly [string, string] | undefined {
  return Object.values(META_FILES_OF).find((names) => names.some((n) => existsSync(join(path, n))));
}

/** Which file a meta update goes to: the JSON file if there is one, else the YAML one. */
export function metaFileFor(path: string, preferYaml = false): string {
  const [yaml, json] = (metaFilesIn(path) ?? ARTIFACT_META_FILES).map((n) => join(path, n));
  if (existsSync(json!)) return json!;
  if (existsSync(yaml!)) return yaml!;
  return preferYaml ? yaml! : json!;
}

export function saveArtifactMeta(path: string, meta: Dict, preferYaml = false): string {
  const file = metaFileFor(path, preferYaml);
  writeDictFile(file, meta);
  return file;
}
