// The persistent artifact index: for every repo, automation folder and artifact folder it keeps
// alias, uid, automation and tags, with the mtime/size of the files they were read from. Every
// query first re-validates it against the file system (one stat per meta file, one per folder),
// so it is never stale, and a miss never costs a parse of every meta.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CmError, isCmError } from '../core/errors.js';
import type { EventSink } from '../core/events.js';
import { isDict, type Dict } from '../core/merge.js';
import { tagList } from '../core/tags.js';
import { writeFileAtomic } from './atomic-file.js';
import { fastStat } from './fast-stat.js';
import { ensureHome, INTERNAL_REPO_UID, readRegisteredRepoPaths, type HomePaths } from './home.js';
import { withLock } from './lock.js';
import { parseJson, readDictFile } from './meta-file.js';
import { REPO_META_FILES, resolveRepoMeta, type Repo, type RepoMeta } from './repo.js';

/** Meta files of an artifact, in merge order (YAML first, JSON wins per top-level key). */
export const ARTIFACT_META_FILES = ['_cm.yaml', '_cm.json'] as const;

const FORMAT = 'cm-ts-index/2';

/**
 * One artifact folder, stored with short keys because the whole index is parsed by every command
 * (about 100 bytes an artifact). Absent keys take the folder's defaults.
 */
interface IndexedArtifact {
  /** alias, when it differs from the folder name */
  a?: string;
  /** uid */
  u: string;
  /** automation alias, when it differs from the automation folder name */
  A?: string;
  /** automation uid, when it differs from the automation folder's default */
  U?: string;
  /** tags as written (without inherited ones) */
  t: string[];
  /** stamps, flat: [index in ARTIFACT_META_FILES, mtimeMs, size, ...]; index -1 = the folder
   *  itself, watched only while it holds no meta file */
  s: number[];
  /** `_base` */
  b?: string;
  /** parse error of its meta, reported when the artifact is used */
  e?: string;
}

interface IndexedDir {
  /** mtime of the automation folder (changes when artifact folders come or go) */
  m: number;
  /** default automation uid of its artifacts */
  U: string;
  /** artifact folder name → record */
  x: Record<string, IndexedArtifact>;
}

interface IndexedRepo {
  cmr: Stamp | null;
  meta: Omit<RepoMeta, 'raw'> & { raw: Dict };
  rootMtime: number;
  dirs: Record<string, IndexedDir>;
}

/** [file name, mtimeMs, size] of a repo meta file. */
type Stamp = [string, number, number];

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

/** path.join is measurable at 10,000 artifacts: folder names here never need normalising. */
function sub(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : dir + '/' + name;
}

function stampOf(dir: string, name: string): Stamp | undefined {
  const st = fastStat(sub(dir, name));
  return st?.[2] ? [name, st[0], st[1]] : undefined;
}

function mtimeOf(p: string): number {
  return fastStat(p)?.[0] ?? -1;
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
export function readArtifactRecord(
  dir: string,
  dirName: string,
  automationDir: IndexedDir,
): IndexedArtifact {
  const stamps: number[] = [];
  let meta: Dict = {};
  let error: string | undefined;
  ARTIFACT_META_FILES.forEach((name, i) => {
    const st = fastStat(sub(dir, name));
    if (!st?.[2]) return;
    stamps.push(i, st[0], st[1]);
    try {
      Object.assign(meta, readDictFile(sub(dir, name)));
    } catch (e) {
      if (!isCmError(e)) throw e;
      error = e.message;
    }
  });
  if (stamps.length === 0) return { u: '', t: [], s: [-1, mtimeOf(dir), 0] };
  if (error) meta = {};
  const str = (v: unknown): string =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  const rec: IndexedArtifact = {
    u: str(meta['uid']).toLowerCase(),
    t: tagList(meta['tags']),
    s: stamps,
  };
  const alias = str(meta['alias']);
  if (alias !== '' && alias !== dirName) rec.a = alias;
  const automationAlias = str(meta['automation_alias']);
  if (automationAlias !== '') rec.A = automationAlias;
  const automationUid = str(meta['automation_uid']).toLowerCase();
  if (automationDir.U === '' && Object.keys(automationDir.x).length === 0)
    automationDir.U = automationUid;
  if (automationUid !== automationDir.U) rec.U = automationUid;
  if (typeof meta['_base'] === 'string') rec.b = meta['_base'];
  if (error) rec.e = error;
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
      if (isDict(data) && data['format'] === FORMAT && isDict(data['repos']))
        this.#data = data as unknown as IndexData;
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
      const repo: Repo = {
        ...rec.meta,
        path: root,
        artifactsRoot: join(root, rec.meta.prefix),
        kind,
      };
      if (kind === 'internal' && repo.uid === '') repo.uid = INTERNAL_REPO_UID;
      repos.push(repo);
      for (const [dirName, dir] of Object.entries(rec.dirs)) {
        const dirPath = sub(repo.artifactsRoot, dirName);
        for (const [artName, a] of Object.entries(dir.x)) {
          if (a.s[0] === -1) continue;
          const e: ArtifactEntry = {
            repo,
            path: sub(dirPath, artName),
            automationDir: dirName,
            alias: a.a ?? artName,
            uid: a.u,
            automationAlias: a.A ?? dirName,
            automationUid: a.U ?? dir.U,
            tags: a.t,
          };
          if (a.b !== undefined) e.base = a.b;
          if (a.e !== undefined) e.error = a.e;
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
      this.#options.emit({
        type: 'warning',
        text: `${root} has no cmr.yaml or cmr.json: skipped (run "cm rm repo" or restore it)`,
      });
      if (rec) {
        delete this.#data.repos[root];
        this.#dirty = true;
      }
      return undefined;
    }
    if (
      !rec ||
      !rec.cmr ||
      rec.cmr[0] !== cmr[0] ||
      rec.cmr[1] !== cmr[1] ||
      rec.cmr[2] !== cmr[2]
    ) {
      let meta: RepoMeta;
      try {
        meta = resolveRepoMeta(readDictFile(join(root, cmr[0])), join(root, cmr[0]));
      } catch (e) {
        if (!isCmError(e)) throw e;
        this.#options.emit({
          type: 'warning',
          text: `repo skipped: ${e.message}${e.hint ? ` (${e.hint})` : ''}`,
        });
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
      for (const n of names) dirs[n] = rec.dirs[n] ?? { m: -2, U: '', x: {} };
      rec.dirs = dirs;
      rec.rootMtime = rootMtime;
      this.#dirty = true;
    }
    for (const [dirName, dir] of Object.entries(rec.dirs)) {
      this.#refreshDir(sub(artifactsRoot, dirName), dir);
    }
    return rec;
  }

  #refreshDir(dirPath: string, dir: IndexedDir): void {
    const mtime = mtimeOf(dirPath);
    if (mtime !== dir.m) {
      const known = dir.x;
      dir.x = {};
      for (const n of subdirs(dirPath)) {
        dir.x[n] = known[n] ?? readArtifactRecord(sub(dirPath, n), n, dir);
      }
      dir.m = mtime;
      this.#dirty = true;
    }
    for (const name in dir.x) {
      const path = sub(dirPath, name);
      if (!isCurrent(path, dir.x[name]!)) {
        dir.x[name] = readArtifactRecord(path, name, dir);
        this.#dirty = true;
      }
    }
  }
}

/** One stat per meta file: unchanged mtime and size mean unchanged content. */
function isCurrent(path: string, a: IndexedArtifact): boolean {
  const s = a.s;
  for (let i = 0; i < s.length; i += 3) {
    const which = s[i]!;
    const st = fastStat(which === -1 ? path : sub(path, ARTIFACT_META_FILES[which]!));
    if (!st || st[0] !== s[i + 1] || (which !== -1 && st[1] !== s[i + 2])) return false;
  }
  return true;
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
export function findBase(
  entries: readonly ArtifactEntry[],
  e: ArtifactEntry,
): ArtifactEntry | undefined {
  const ref = e.base ?? '';
  const [autoName, artName] = ref.includes('::')
    ? (ref.split('::', 2) as [string, string])
    : ['', ref];
  const [artAlias = '', artUid = ''] = artName.split(',');
  const matchesAuto = (x: ArtifactEntry): boolean => {
    if (autoName === '')
      return x.automationUid === e.automationUid && x.automationAlias === e.automationAlias;
    const [a = '', u = ''] = autoName.split(',');
    return x.automationAlias === a || x.automationUid === a || (u !== '' && x.automationUid === u);
  };
  return entries.find(
    (x) =>
      x !== e &&
      matchesAuto(x) &&
      (x.alias === artAlias || x.uid === artAlias || (artUid !== '' && x.uid === artUid)),
  );
}

/** Report an artifact whose meta could not be parsed. */
export function assertReadable(e: ArtifactEntry): void {
  if (e.error !== undefined) {
    throw new CmError('bad-meta', e.error, {
      hint: 'fix the file by hand (or delete it), then run the command again',
    });
  }
}
