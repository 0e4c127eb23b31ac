// Creating, deleting, copying and moving artifact folders so that no failure leaves a half-made
// artifact: work happens in a hidden temp folder (ignored by the index) that is renamed at the end.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CmError } from '../core/errors.js';
import { tagList } from '../core/tags.js';
import { tmpSuffix } from '../core/uid.js';
import type { Dict } from '../core/merge.js';
import { writeFileAtomic } from './atomic-file.js';
import { ARTIFACT_META_FILES } from './artifact-entry.js';
import { metaFilesIn, readArtifactMeta } from './artifact.js';
import { formatJson, formatYaml, readDictFile } from './meta-file.js';

function tmpSibling(target: string, what: string): string {
  return join(dirname(target), `.${what}-${basename(target)}-${tmpSuffix()}`);
}

function isNonEmptyDir(p: string): boolean {
  try {
    return readdirSync(p).length > 0;
  } catch {
    return false;
  }
}

/** Move a fully prepared temp folder into place; fails if the target already has content. */
function publish(tmp: string, target: string, exists: () => CmError): void {
  if (isNonEmptyDir(target)) {
    rmSync(tmp, { recursive: true, force: true });
    throw exists();
  }
  try {
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw exists();
    throw e;
  }
}

/** Create a new artifact folder holding only its meta file (`files`: the repo format's names). */
export function createArtifactDir(
  target: string,
  meta: Dict,
  yaml: boolean,
  files: readonly string[] = ARTIFACT_META_FILES,
): string {
  if (files.some((f) => existsSync(join(target, f)))) {
    throw new CmError('artifact-exists', `artifact already exists in the path ${target}`, {
      hint: 'use "cm update" to change it, or pick another name',
    });
  }
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tmpSibling(target, 'new');
  mkdirSync(tmp);
  const file = yaml ? files[0]! : files[1]!;
  writeFileAtomic(join(tmp, file), yaml ? formatYaml(meta) : formatJson(meta));
  publish(
    tmp,
    target,
    () => new CmError('artifact-exists', `artifact already exists in the path ${target}`),
  );
  return join(target, file);
}

/** Delete a folder so that it disappears at once (rename), then remove its content. */
export function removeArtifactDir(path: string): void {
  const tmp = tmpSibling(path, 'deleted');
  renameSync(path, tmp);
  rmSync(tmp, { recursive: true, force: true });
}

function targetExists(target: string): CmError {
  return new CmError('target-exists', `target artifact (directory) already exists: ${target}`, {
    hint: 'choose another name or remove the target first',
  });
}

/**
 * Give an artifact folder the meta file names of its repo's format (`_cm.yaml` ↔ `meta.yaml`,
 * `_cm.json` ↔ `meta.json`), so that an artifact copied or moved between a CM and an MLC repo is
 * found there.
 */
function renameMetaFiles(dir: string, files: readonly string[]): void {
  const current = metaFilesIn(dir);
  if (!current || current[0] === files[0]) return;
  current.forEach((from, i) => {
    const to = files[i]!;
    if (existsSync(join(dir, from)) && !existsSync(join(dir, to)))
      renameSync(join(dir, from), join(dir, to));
  });
}

/** Copy an artifact folder to `target` and set its alias/uid; nothing appears until it is complete. */
export function copyArtifactDir(
  source: string,
  target: string,
  identity: { alias: string; uid: string },
  extraTags: string[],
  /** The target repo's meta file names. */
  metaFiles: readonly string[] = ARTIFACT_META_FILES,
): void {
  if (existsSync(target)) throw targetExists(target);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tmpSibling(target, 'copy');
  try {
    cpSync(source, tmp, {
      recursive: true,
      filter: (src) => !basename(src).startsWith('.deleted-'),
    });
    renameMetaFiles(tmp, metaFiles);
    patchIdentity(tmp, identity, extraTags);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  publish(tmp, target, () => targetExists(target));
}

/** Move (rename) an artifact folder, possibly to another repo, and set its alias/uid. */
export function moveArtifactDir(
  source: string,
  target: string,
  identity: { alias: string; uid: string },
  /** The target repo's meta file names. */
  metaFiles: readonly string[] = ARTIFACT_META_FILES,
): void {
  if (source !== target && existsSync(target)) throw targetExists(target);
  mkdirSync(dirname(target), { recursive: true });
  if (source !== target) {
    try {
      renameSync(source, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      copyArtifactDir(source, target, identity, [], metaFiles);
      removeArtifactDir(source);
      return;
    }
  }
  renameMetaFiles(target, metaFiles);
  patchIdentity(target, identity, []);
}

/**
 * Set alias and uid in an artifact's meta files. YAML files are patched line by line so that
 * comments and layout survive; JSON files are rewritten sorted.
 */
export function patchIdentity(
  dir: string,
  identity: { alias: string; uid: string },
  extraTags: string[],
): void {
  const present = (metaFilesIn(dir) ?? ARTIFACT_META_FILES).filter((f) => existsSync(join(dir, f)));
  for (const name of present) {
    const file = join(dir, name);
    const isPrimary = name === present[present.length - 1];
    if (name.endsWith('.json')) {
      const meta = readDictFile(file);
      if (isPrimary || 'alias' in meta) meta['alias'] = identity.alias;
      if (isPrimary || 'uid' in meta) meta['uid'] = identity.uid;
      if (extraTags.length > 0 && isPrimary) {
        // The artifact's tags are the merged ones (JSON over YAML), not only those in this file.
        const tags = tagList(readArtifactMeta(dir, undefined, undefined, present)['tags']);
        meta['tags'] = [...new Set([...tags, ...extraTags])];
      }
      writeFileAtomic(file, formatJson(meta));
    } else {
      let text = readFileSync(file, 'utf8');
      const setLine = (key: string, value: string): void => {
        const re = new RegExp(`^${key}:.*$`, 'm');
        const line = `${key}: ${JSON.stringify(value)}`;
        if (re.test(text)) text = text.replace(re, line);
        else if (isPrimary) text = `${line}\n${text}`;
      };
      setLine('alias', identity.alias);
      setLine('uid', identity.uid);
      if (extraTags.length > 0 && isPrimary) {
        const meta = readDictFile(file);
        const tags = Array.isArray(meta['tags']) ? (meta['tags'] as unknown[]).map(String) : [];
        meta['alias'] = identity.alias;
        meta['uid'] = identity.uid;
        meta['tags'] = [...new Set([...tags, ...extraTags])];
        text = formatYaml(meta);
      }
      writeFileAtomic(file, text);
    }
  }
}
