// The persistent artifact index: for every repo, automation folder and artifact folder it keeps
// alias, uid, automation and tags, with the mtime/size of the files they were read from. Every
// query first re-validates it against the file system (one stat per meta file, one per folder),
// so it is never stale, and a miss never costs a parse of every meta.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CmError, isCmError } from '../core/errors.js';
import type { EventSink } from '../core/events.js';
import { isDict, type Dict } from '../core/merge.js';
import { tagList } from '../core/tags.js';
import { writeFileAtomic } from './atomic-file.js';
import { ensureHome, INTERNAL_REPO_UID, readRegisteredRepoPaths, type HomePaths } from './home.js';
import { withLock } from './lock.js';
import { parseJson, readDictFile } from './meta-file.js';
import { REPO_META_FILES, resolveRepoMeta, type Repo, type RepoMeta } from './repo.js';

/** Meta files of an artifact, in merge order (YAML first, JSON wins per top-level key). */
export const ARTIFACT_META_FILES = ['_cm.yaml', '_cm.json'] as const;

const FORMAT = 'cm-ts-index/1';

/** [file name, mtimeMs, size] of a file an entry was read from. */
type Stamp = [string, number, number];

interface IndexedArtifact {
  alias: string;
  uid: string;
  automationAlias: string;
  automationUid: string;
  tags: string[];
  base?: string;
  /** Meta files present; empty for a folder that is not (yet) an artifact. */
  stamps: Stamp[];
  /** mtime of the folder itself, watched only while it holds no meta file. */
  dirMtime?: number;
  /** Parse error of its meta, reported when the artifact is used. */
  error?: string;
}

interface IndexedDir {
  mtime: number;
  artifacts: Record<string, IndexedArtifact>;
}

interface IndexedRepo {
  cmr: Stamp | null;
  meta: Omit<RepoMeta, 'raw'> & { raw: Dict };
  rootMtime: number;
  dirs: Record<string, IndexedDir>;
}

interface IndexData {
  format: string;
  repos: Record<string, IndexedRepo>;
}

/** One artifact as found through the index. `tags` include inherited ones (`_base`). */
export interface ArtifactEntry {
  repo: Repo;
  path: string;
  /** Name of the automation folder it sits in. */
  automationDir: string;
  alias: string;
  uid: string;
  automationAlias: string;
  automationUid: string;
  tags: string[];
  base?: string;
  error?: string;
}

export interface IndexOptions {
  paths: HomePaths;
  internalRepoPath: string;
  emit: EventSink;
  /** false (CM_INDEX=no): nothing is read from or written to disk; every refresh is a full scan. */
  persistent: boolean;
}

function stampOf(dir: string, name: string): Stamp | undefined {
  const st = statSync(join(dir, name), { throwIfNoEntry: false });
  return st?.isFile() ? [name, st.mtimeMs, st.size] : undefined;
}

function mtimeOf(p: string): number {
  return statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

function subdirs(p: string): string[] {
  try {
    return readdirSync(p, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** Read an artifact folder's meta files into an index record. */
export function readArtifactRecord(dir: string, automationDir: string): IndexedArtifact {
  const stamps: Stamp[] = [];
  let meta: Dict = {};
  let error: string | undefined;
  for (const name of ARTIFACT_META_FILES) {
    const stamp = stampOf(dir, name);
    if (!stamp) continue;
    stamps.push(stamp);
    try {
      Object.assign(meta, readDictFile(join(dir, name)));
    } catch (e) {
      if (!isCmError(e)) throw e;
      error = e.message;
    }
  }
  const dirName = basename(dir);
  if (stamps.length === 0) {
    return { alias: dirName, uid: '', automationAlias: automationDir, automationUid: '', tags: [], stamps, dirMtime: mtimeOf(dir) };
  }
  if (error) meta = {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const rec: IndexedArtifact = {
    alias: str(meta['alias']) || dirName,
    uid: str(meta['uid']).toLowerCase(),
    automationAlias: str(meta['automation_alias']) || automationDir,
    automationUid: str(meta['automation_uid']).toLowerCase(),
    tags: tagList(meta['tags']),
    stamps,
  };
  if (typeof meta['_base'] === 'string') rec.base = meta['_base'];
  if (error) rec.error = error;
  return rec;
}

export class ArtifactIndex {
  readonly #options: IndexOptions;
  #data: IndexData = { format: FORMAT, repos: {} };
  #dirty = false;
  #fresh = false;
  #repos: Repo[] = [];
  #entries: ArtifactEntry[] = [];

  constructor(options: IndexOptions) {
    this.#options = options;
  }

  /** Repos in search order: local, internal, then registered ones in repos.json order. */
  repos(): Repo[] {
    this.#refresh();
    return this.#repos;
  }

  /** Every artifact of every repo, in repo search order then folder order. */
  entries(): ArtifactEntry[] {
    this.#refresh();
    return this.#entries;
  }

  /** Force the next query to re-validate (after this process changed files). */
  markStale(): void {
    this.#fresh = false;
  }

  /** Throw away everything and rebuild from disk (`cm reindex repo`). */
  rebuild(): number {
    this.#data = { format: FORMAT, repos: {} };
    this.#dirty = true;
    this.#fresh = false;
    return this.entries().length;
  }

  /** Write the index back if this process changed it. Another writer's copy is equally valid. */
  save(): void {
    if (!this.#dirty || !this.#options.persistent) return;
    const { paths } = this.#options;
    withLock(join(paths.locksDir, 'index.lock'), () => {
      writeFileAtomic(paths.indexFile, JSON.stringify(this.#data));
    });
    this.#dirty = false;
  }

  #load(): void {
    if (!this.#options.persistent) return;
    let text: string;
    try {
      text = readFileSync(this.#options.paths.indexFile, 'utf8');
    } catch {
      return;
    }
    try {
      const data = parseJson(text, this.#options.paths.indexFile);
      if (isDict(data) && data['format'] === FORMAT && isDict(data['repos'])) this.#data = data as unknown as IndexData;
      else this.#dirty = true;
    } catch {
      // A damaged index is only a cache: rebuild it.
      this.#dirty = true;
    }
  }

  #refresh(): void {
    if (this.#fresh) return;
    const first = this.#repos.length === 0 && Object.keys(this.#data.repos).length === 0;
    if (first) this.#load();
    const { paths, emit, internalRepoPath } = this.#options;
    ensureHome(paths);
    const roots: Array<[string, Repo['kind']]> = [
      [paths.localRepo, 'local'],
      [internalRepoPath, 'internal'],
      ...readRegisteredRepoPaths(paths, emit).map((p): [string, Repo['kind']] => [p, 'registered']),
    ];
    const seen = new Set<string>();
    const repos: Repo[] = [];
    const entries: ArtifactEntry[] = [];
    for (const [root, kind] of roots) {
      if (seen.has(root)) continue;
      seen.add(root);
      const rec = this.#refreshRepo(root, kind);
      if (!rec) continue;
      const repo: Repo = { ...rec.meta, path: root, artifactsRoot: join(root, rec.meta.prefix), kind };
      if (kind === 'internal' && repo.uid === '') repo.uid = INTERNAL_REPO_UID;
      repos.push(repo);
      for (const [dirName, dir] of Object.entries(rec.dirs)) {
        for (const [artName, a] of Object.entries(dir.artifacts)) {
          if (a.stamps.length === 0) continue;
          const e: ArtifactEntry = {
            repo,
            path: join(repo.artifactsRoot, dirName, artName),
            automationDir: dirName,
            alias: a.alias,
            uid: a.uid,
            automationAlias: a.automationAlias,
            automationUid: a.automationUid,
            tags: a.tags,
          };
          if (a.base !== undefined) e.base = a.base;
          if (a.error !== undefined) e.error = a.error;
          entries.push(e);
        }
      }
    }
    for (const key of Object.keys(this.#data.repos)) {
      if (!seen.has(key)) {
        delete this.#data.repos[key];
        this.#dirty = true;
      }
    }
    applyInheritedTags(entries);
    this.#repos = repos;
    this.#entries = entries;
    this.#fresh = true;
  }

  #refreshRepo(root: string, kind: Repo['kind']): IndexedRepo | undefined {
    let rec = this.#data.repos[root];
    // Repo meta: re-read only when cmr.yaml/cmr.json changed.
    let cmr: Stamp | undefined;
    for (const name of REPO_META_FILES) {
      cmr = stampOf(root, name);
      if (cmr) break;
    }
    if (!cmr) {
      this.#options.emit({ type: 'warning', text: `${root} has no cmr.yaml or cmr.json: skipped (run "cm rm repo" or restore it)` });
      if (rec) {
        delete this.#data.repos[root];
        this.#dirty = true;
      }
      return undefined;
    }
    if (!rec || !rec.cmr || rec.cmr[0] !== cmr[0] || rec.cmr[1] !== cmr[1] || rec.cmr[2] !== cmr[2]) {
      let meta: RepoMeta;
      try {
        meta = resolveRepoMeta(readDictFile(join(root, cmr[0])), join(root, cmr[0]));
      } catch (e) {
        if (!isCmError(e)) throw e;
        this.#options.emit({ type: 'warning', text: `repo skipped: ${e.message}${e.hint ? ` (${e.hint})` : ''}` });
        if (rec) delete this.#data.repos[root];
        this.#dirty = true;
        return undefined;
      }
      const prefixChanged = rec && rec.meta.prefix !== meta.prefix;
      rec = {
        cmr,
        meta,
        rootMtime: prefixChanged || !rec ? -2 : rec.rootMtime,
        dirs: prefixChanged || !rec ? {} : rec.dirs,
      };
      this.#data.repos[root] = rec;
      this.#dirty = true;
    }
    if (kind === 'internal' && rec.meta.uid === '') rec.meta.uid = INTERNAL_REPO_UID;
    const artifactsRoot = join(root, rec.meta.prefix);
    const rootMtime = mtimeOf(artifactsRoot);
    if (rootMtime !== rec.rootMtime) {
      const names = subdirs(artifactsRoot);
      const dirs: Record<string, IndexedDir> = {};
      for (const n of names) dirs[n] = rec.dirs[n] ?? { mtime: -2, artifacts: {} };
      rec.dirs = dirs;
      rec.rootMtime = rootMtime;
      this.#dirty = true;
    }
    for (const [dirName, dir] of Object.entries(rec.dirs)) {
      this.#refreshDir(join(artifactsRoot, dirName), dirName, dir);
    }
    return rec;
  }

  #refreshDir(dirPath: string, dirName: string, dir: IndexedDir): void {
    const mtime = mtimeOf(dirPath);
    if (mtime !== dir.mtime) {
      const names = subdirs(dirPath);
      const next: Record<string, IndexedArtifact> = {};
      for (const n of names) {
        next[n] = dir.artifacts[n] ?? readArtifactRecord(join(dirPath, n), dirName);
      }
      dir.artifacts = next;
      dir.mtime = mtime;
      this.#dirty = true;
    }
    for (const [name, a] of Object.entries(dir.artifacts)) {
      if (!this.#isCurrent(join(dirPath, name), a)) {
        dir.artifacts[name] = readArtifactRecord(join(dirPath, name), dirName);
        this.#dirty = true;
      }
    }
  }

  #isCurrent(path: string, a: IndexedArtifact): boolean {
    if (a.stamps.length === 0) return mtimeOf(path) === a.dirMtime;
    for (const [name, mtime, size] of a.stamps) {
      const st = statSync(join(path, name), { throwIfNoEntry: false });
      if (!st || st.mtimeMs !== mtime || st.size !== size) return false;
    }
    return true;
  }
}

/** `_base: "automation::artifact"` or `"artifact"`: tags are the base's followed by the own ones. */
function applyInheritedTags(entries: ArtifactEntry[]): void {
  const withBase = entries.filter((e) => e.base !== undefined);
  if (withBase.length === 0) return;
  const own = new Map(entries.map((e) => [e, e.tags]));
  const resolve = (e: ArtifactEntry, depth: number): string[] => {
    const tags = own.get(e) ?? e.tags;
    if (e.base === undefined || depth > 10) return tags;
    const base = findBase(entries, e);
    return base ? [...resolve(base, depth + 1), ...tags] : tags;
  };
  for (const e of withBase) e.tags = resolve(e, 0);
}

/** The artifact named by `e.base`, searched by alias or uid within the named (or own) automation. */
export function findBase(entries: readonly ArtifactEntry[], e: ArtifactEntry): ArtifactEntry | undefined {
  const ref = e.base ?? '';
  const [autoName, artName] = ref.includes('::') ? (ref.split('::', 2) as [string, string]) : ['', ref];
  const [artAlias = '', artUid = ''] = artName.split(',');
  const matchesAuto = (x: ArtifactEntry): boolean => {
    if (autoName === '') return x.automationUid === e.automationUid && x.automationAlias === e.automationAlias;
    const [a = '', u = ''] = autoName.split(',');
    return x.automationAlias === a || x.automationUid === a || (u !== '' && x.automationUid === u);
  };
  return entries.find(
    (x) => x !== e && matchesAuto(x) && (x.alias === artAlias || x.uid === artAlias || (artUid !== '' && x.uid === artUid)),
  );
}

/** Report an artifact whose meta could not be parsed. */
export function assertReadable(e: ArtifactEntry): void {
  if (e.error !== undefined) {
    throw new CmError('bad-meta', e.error, { hint: 'fix the file by hand (or delete it), then run the command again' });
  }
}
