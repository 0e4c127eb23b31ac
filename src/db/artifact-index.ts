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
import { hasWildcards, matchesName, type NamePart } from '../core/artifact-ref.js';
import {
  isOfAutomation,
  searchArtifacts,
  type ArtifactQuery,
  type AutomationFilter,
} from './search.js';
import { writeFileAtomic } from './atomic-file.js';
import { fastStat, statInto } from './fast-stat.js';
import { ensureHome, INTERNAL_REPO_UID, readRegisteredRepoPaths, type HomePaths } from './home.js';
import { withLock } from './lock.js';
import { parseJson, readDictFile } from './meta-file.js';
import { REPO_META_FILES, resolveRepoMeta, type Repo, type RepoMeta } from './repo.js';

/** Meta files of an artifact, in merge order (YAML first, JSON wins per top-level key). */
export const ARTIFACT_META_FILES = ['_cm.yaml', '_cm.json'] as const;

const FORMAT = 'cm-ts-index/4';

/**
 * One automation folder. The whole index is parsed by every command, so artifacts are stored as
 * one tab-separated string each plus a flat array of numbers (a fraction of the cost of an object
 * per artifact), and queries look into the strings without splitting them (see query()).
 */
interface IndexedDir {
  /** mtime of the automation folder (changes when artifact folders come or go) */
  m: number;
  /** default automation uid of its artifacts */
  U: string;
  /** per artifact: name TAB alias TAB uid TAB automation alias TAB automation uid TAB base TAB
   *  ",tag1,tag2,"; an empty field takes the default (folder name, automation folder, U) */
  r: string[];
  /** per artifact 4 numbers: _cm.yaml mtime and size, _cm.json mtime and size (-1: absent) */
  s: number[];
  /** sub-folders without a meta file (not artifacts yet): name → their mtime */
  d: Record<string, number>;
  /** artifacts whose meta could not be parsed: name → error */
  e: Record<string, string>;
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

const F_NAME = 0;
const F_ALIAS = 1;
const F_UID = 2;
const F_AUTOMATION_ALIAS = 3;
const F_AUTOMATION_UID = 4;
const F_BASE = 5;
const F_TAGS = 6;

/** Start offsets of the 7 fields of a record (reused buffer: no allocation per record). */
const bounds = new Int32Array(8);
function splitRecord(rec: string): Int32Array {
  let p = -1;
  for (let f = 0; f < 7; f++) {
    bounds[f] = p + 1;
    p = f < 6 ? rec.indexOf('\t', p + 1) : rec.length;
  }
  bounds[7] = rec.length + 1;
  return bounds;
}

function field(rec: string, b: Int32Array, f: number): string {
  return rec.slice(b[f]!, b[f + 1]! - 1);
}

function isEmptyField(b: Int32Array, f: number): boolean {
  return b[f + 1]! - 1 === b[f]!;
}

interface ReadRecord {
  /** the 7 record fields, automation uid always filled in (the caller drops the folder default) */
  fields?: string[];
  stamps: [number, number, number, number];
  dirMtime?: number;
  error?: string;
}

const clean = (s: string): string => s.replace(/[\t\n]/g, ' ');

/** Read an artifact folder's meta files into an index record. */
export function readArtifactRecord(
  dir: string,
  name: string,
  automationDirName: string,
): ReadRecord {
  const stamps: [number, number, number, number] = [-1, -1, -1, -1];
  let meta: Dict = {};
  let error: string | undefined;
  let found = false;
  ARTIFACT_META_FILES.forEach((file, i) => {
    const st = fastStat(sub(dir, file));
    if (!st?.[2]) return;
    found = true;
    stamps[i * 2] = trusted(st[0]);
    stamps[i * 2 + 1] = st[1];
    try {
      Object.assign(meta, readDictFile(sub(dir, file)));
    } catch (e) {
      if (!isCmError(e)) throw e;
      error = e.message;
    }
  });
  if (!found) return { stamps, dirMtime: trusted(mtimeOf(dir)) };
  if (error) meta = {};
  const str = (v: unknown): string =>
    clean(typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const alias = str(meta['alias']);
  const automationAlias = str(meta['automation_alias']);
  const automationUid = str(meta['automation_uid']).toLowerCase();
  const fields = [
    clean(name),
    alias === name ? '' : alias,
    str(meta['uid']).toLowerCase(),
    automationAlias === automationDirName ? '' : automationAlias,
    automationUid,
    typeof meta['_base'] === 'string' ? clean(meta['_base']) : '',
    `,${tagList(meta['tags'])
      .map((t) => clean(t).replace(/,/g, ' '))
      .join(',')},`,
  ];
  const result: ReadRecord = { fields, stamps };
  if (error) result.error = error;
  return result;
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

/** Where #scan stands: one stored record and its folder. */
interface RecordAt {
  repo: Repo;
  dirName: string;
  dirPath: string;
  dir: IndexedDir;
  r: string;
  b: Int32Array;
  inherited: string | undefined;
}

function toEntry({ repo, dirName, dirPath, dir, r, b, inherited }: RecordAt): ArtifactEntry {
  const name = field(r, b, F_NAME);
  const e = new StoredEntry(
    repo,
    sub(dirPath, name),
    dirName,
    isEmptyField(b, F_ALIAS) ? name : field(r, b, F_ALIAS),
    field(r, b, F_UID),
    isEmptyField(b, F_AUTOMATION_ALIAS) ? dirName : field(r, b, F_AUTOMATION_ALIAS),
    isEmptyField(b, F_AUTOMATION_UID) ? dir.U : field(r, b, F_AUTOMATION_UID),
    inherited ?? field(r, b, F_TAGS),
  );
  if (!isEmptyField(b, F_BASE)) e.base = field(r, b, F_BASE);
  const error = dir.e[name];
  if (error !== undefined) e.error = error;
  return e;
}

/** An entry built from a stored record; its tags are split from the record only when read. */
class StoredEntry implements ArtifactEntry {
  declare repo: Repo;
  declare path: string;
  declare automationDir: string;
  declare alias: string;
  declare uid: string;
  declare automationAlias: string;
  declare automationUid: string;
  declare base?: string;
  declare error?: string;
  #tagText: string;
  #tags: string[] | undefined;

  constructor(
    repo: Repo,
    path: string,
    automationDir: string,
    alias: string,
    uid: string,
    automationAlias: string,
    automationUid: string,
    tagText: string,
  ) {
    this.repo = repo;
    this.path = path;
    this.automationDir = automationDir;
    this.alias = alias;
    this.uid = uid;
    this.automationAlias = automationAlias;
    this.automationUid = automationUid;
    this.#tagText = tagText;
    this.#tags = undefined;
  }

  get tags(): string[] {
    this.#tags ??= this.#tagText.length > 2 ? this.#tagText.slice(1, -1).split(',') : [];
    return this.#tags;
  }

  set tags(tags: string[]) {
    this.#tags = tags;
  }
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

/**
 * File systems stamp times from a coarse clock (a few ms), so a change made right after we looked
 * can carry the very mtime we recorded ("racy" entries, as git calls them). A time that recent is
 * not recorded: -2 never matches, so the next command looks again.
 */
const RACY_MS = 100;
export function trusted(mtime: number): number {
  return Date.now() - mtime < RACY_MS ? -2 : mtime;
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

export class ArtifactIndex {
  readonly #options: IndexOptions;
  #data: IndexData = { format: FORMAT, repos: {} };
  #dirty = false;
  #fresh = false;
  #repos: Repo[] = [];
  /** Repos with their index data, in search order (valid while #fresh). */
  #scopes: Array<{ repo: Repo; rec: IndexedRepo }> = [];
  #entries: ArtifactEntry[] | undefined;
  /** Effective tags (",a,b,") of artifacts with `_base`, by path. */
  #inherited = new Map<string, string>();

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
    if (this.#entries === undefined) {
      const all: ArtifactEntry[] = [];
      this.#scan(KEEP_ALL, (at) => all.push(toEntry(at)));
      this.#entries = all;
    }
    return this.#entries;
  }

  /**
   * Artifacts matching `q`, in the order of entries(). Looks into the stored records without
   * building an entry per artifact; the final decision is always searchArtifacts() on entries.
   */
  query(q: ArtifactQuery): ArtifactEntry[] {
    this.#refresh();
    if (this.#entries !== undefined) return searchArtifacts(this.#entries, q);
    const pre = prefilter(q);
    const candidates: ArtifactEntry[] = [];
    this.#scan(pre, (at) => candidates.push(toEntry(at)));
    return searchArtifacts(candidates, q);
  }

  /** Aliases of the artifacts of one automation (for did-you-mean), without building entries. */
  aliases(automation: AutomationFilter): string[] {
    this.#refresh();
    const out: string[] = [];
    const pre = prefilter({ automation });
    this.#scan(pre, ({ r, b, dirName, dir }) => {
      const autoAlias = isEmptyField(b, F_AUTOMATION_ALIAS)
        ? dirName
        : field(r, b, F_AUTOMATION_ALIAS);
      const autoUid = isEmptyField(b, F_AUTOMATION_UID) ? dir.U : field(r, b, F_AUTOMATION_UID);
      if (
        !isOfAutomation(
          { automationAlias: autoAlias, automationUid: autoUid } as ArtifactEntry,
          automation,
        )
      )
        return;
      out.push(field(r, b, isEmptyField(b, F_ALIAS) ? F_NAME : F_ALIAS));
    });
    return out;
  }

  /** Whether some artifact's meta could not be parsed (then queries should report it). */
  hasUnreadable(): boolean {
    this.#refresh();
    return this.#scopes.some(({ rec }) =>
      Object.values(rec.dirs).some((d) => Object.keys(d.e).length > 0),
    );
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
    const scopes: Array<{ repo: Repo; rec: IndexedRepo }> = [];
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
      scopes.push({ repo, rec });
    }
    for (const key of Object.keys(this.#data.repos)) {
      if (!seen.has(key)) {
        delete this.#data.repos[key];
        this.#dirty = true;
      }
    }
    this.#scopes = scopes;
    this.#repos = scopes.map((x) => x.repo);
    this.#entries = undefined;
    this.#inherited = new Map();
    this.#fresh = true;
    if (scopes.some(({ rec }) => Object.values(rec.dirs).some((d) => d.r.some(hasBase)))) {
      // Rare: resolve `_base` chains over all artifacts once, then queries use the result.
      const all = this.entries();
      applyInheritedTags(all);
      for (const e of all)
        if (e.base !== undefined) this.#inherited.set(e.path, `,${e.tags.join(',')},`);
    }
  }

  /** Build entries for every record that `keep` lets through. */
  /** Visit every record that `keep` lets through, in search order. */
  #scan(keep: RecordFilter, visit: (at: RecordAt) => void): void {
    for (const { repo, rec } of this.#scopes) {
      if (!keep.repo(repo)) continue;
      for (const dirName in rec.dirs) {
        const dir = rec.dirs[dirName]!;
        const dirPath = sub(repo.artifactsRoot, dirName);
        const dirMatches = keep.automation(dirName, dir.U);
        for (const r of dir.r) {
          const b = splitRecord(r);
          const ownAutomation =
            !isEmptyField(b, F_AUTOMATION_ALIAS) || !isEmptyField(b, F_AUTOMATION_UID);
          if (!dirMatches && !ownAutomation) continue;
          const inherited = isEmptyField(b, F_BASE)
            ? undefined
            : this.#inherited.get(sub(dirPath, field(r, b, F_NAME)));
          if (!keep.record(r, b, inherited)) continue;
          visit({ repo, dirName, dirPath, dir, r, b, inherited });
        }
      }
    }
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
        cmr: [cmr[0], trusted(cmr[1]), cmr[2]],
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
      for (const n of names) dirs[n] = rec.dirs[n] ?? { m: -2, U: '', r: [], s: [], d: {}, e: {} };
      rec.dirs = dirs;
      rec.rootMtime = trusted(rootMtime);
      this.#dirty = true;
    }
    for (const [dirName, dir] of Object.entries(rec.dirs)) {
      this.#refreshDir(sub(artifactsRoot, dirName), dirName, dir);
    }
    return rec;
  }

  #refreshDir(dirPath: string, dirName: string, dir: IndexedDir): void {
    const mtime = mtimeOf(dirPath);
    if (mtime !== dir.m) {
      // Artifact folders came or went: keep what is known, read the new ones.
      const known = new Map<string, number>();
      dir.r.forEach((r, i) => known.set(r.slice(0, r.indexOf('\t')), i));
      const old = { r: dir.r, s: dir.s, d: dir.d, e: dir.e };
      Object.assign(dir, { r: [], s: [], d: {}, e: {} });
      for (const n of subdirs(dirPath)) {
        const i = known.get(n);
        if (i !== undefined) {
          dir.r.push(old.r[i]!);
          dir.s.push(...old.s.slice(i * 4, i * 4 + 4));
          if (old.e[n] !== undefined) dir.e[n] = old.e[n];
        } else if (old.d[n] !== undefined && mtimeOf(sub(dirPath, n)) === old.d[n]) {
          dir.d[n] = old.d[n];
        } else {
          this.#store(dir, dirName, n, readArtifactRecord(sub(dirPath, n), n, dirName), -1);
        }
      }
      dir.m = trusted(mtime);
      this.#dirty = true;
    } else {
      for (const n in dir.d) {
        if (mtimeOf(sub(dirPath, n)) !== dir.d[n]) {
          delete dir.d[n];
          this.#store(dir, dirName, n, readArtifactRecord(sub(dirPath, n), n, dirName), -1);
          this.#dirty = true;
        }
      }
    }
    const s = dir.s;
    for (let i = 0; i < dir.r.length; i++) {
      if (isCurrent(dirPath, dir.r[i]!, s, i * 4)) continue;
      const r = dir.r[i]!;
      const name = r.slice(0, r.indexOf('\t'));
      delete dir.e[name];
      this.#store(dir, dirName, name, readArtifactRecord(sub(dirPath, name), name, dirName), i);
      this.#dirty = true;
    }
    // Records whose meta file vanished were replaced by a marker: drop them.
    for (let i = dir.r.length - 1; i >= 0; i--) {
      if (dir.r[i] === '') {
        dir.r.splice(i, 1);
        dir.s.splice(i * 4, 4);
      }
    }
  }

  /** Put a freshly read record at position `at` (-1: append). */
  #store(dir: IndexedDir, dirName: string, name: string, read: ReadRecord, at: number): void {
    void dirName;
    if (!read.fields) {
      dir.d[name] = read.dirMtime ?? -1;
      if (at >= 0) dir.r[at] = '';
      return;
    }
    const fields = read.fields;
    if (dir.U === '' && dir.r.length === 0) dir.U = fields[F_AUTOMATION_UID]!;
    if (fields[F_AUTOMATION_UID] === dir.U) fields[F_AUTOMATION_UID] = '';
    const record = fields.join('\t');
    if (at >= 0) {
      dir.r[at] = record;
      dir.s.splice(at * 4, 4, ...read.stamps);
    } else {
      dir.r.push(record);
      dir.s.push(...read.stamps);
    }
    if (read.error !== undefined) dir.e[name] = read.error;
  }
}

function hasBase(r: string): boolean {
  const b = splitRecord(r);
  return !isEmptyField(b, F_BASE);
}

const statOut = new Float64Array(2);

/** One stat per meta file: unchanged mtime and size mean unchanged content. */
function isCurrent(dirPath: string, r: string, s: number[], at: number): boolean {
  const path = sub(dirPath, r.slice(0, r.indexOf('\t')));
  for (let f = 0; f < ARTIFACT_META_FILES.length; f++) {
    const mtime = s[at + f * 2]!;
    if (mtime === -1) continue;
    if (!statInto(sub(path, ARTIFACT_META_FILES[f]!), statOut)) return false;
    if (statOut[0] !== mtime || statOut[1] !== s[at + f * 2 + 1]) return false;
  }
  return true;
}

/** Cheap, conservative tests on stored records: they may keep too much, never too little. */
interface RecordFilter {
  repo(repo: Repo): boolean;
  automation(dirName: string, dirUid: string): boolean;
  record(r: string, b: Int32Array, inheritedTags: string | undefined): boolean;
}

const KEEP_ALL: RecordFilter = { repo: () => true, automation: () => true, record: () => true };

function prefilter(q: ArtifactQuery): RecordFilter {
  const refs = q.refs ?? [];
  const needles = (q.tags?.include ?? []).map((t) => `,${t},`);
  const auto = q.automation;
  return {
    repo: (repo) =>
      refs.length === 0 ||
      refs.some((ref) => !ref.repo || matchesName(ref.repo, repo.alias, repo.uid)),
    automation: (dirName, dirUid) =>
      auto === undefined ||
      isOfAutomation({ automationAlias: dirName, automationUid: dirUid } as ArtifactEntry, auto),
    record(r, b, inheritedTags) {
      if (needles.length > 0) {
        const text = inheritedTags ?? r;
        const from = inheritedTags === undefined ? b[F_TAGS]! : 0;
        for (const n of needles) if (text.indexOf(n, from) < 0) return false;
      }
      if (refs.length === 0) return true;
      return refs.some((ref) => mayMatchName(r, b, ref.artifact));
    },
  };
}

/** Could this record match the name part of a reference? (uid or exact alias; else maybe) */
function mayMatchName(r: string, b: Int32Array, q: NamePart): boolean {
  if (q.uid !== undefined) {
    const uidLen = b[F_UID + 1]! - 1 - b[F_UID]!;
    if (uidLen !== 0) return uidLen === q.uid.length && r.startsWith(q.uid, b[F_UID]!);
  }
  if (q.alias === undefined || q.alias === '' || hasWildcards(q.alias)) return true;
  const f = isEmptyField(b, F_ALIAS) ? F_NAME : F_ALIAS;
  const len = b[f + 1]! - 1 - b[f]!;
  return len === q.alias.length && field(r, b, f).toLowerCase() === q.alias.toLowerCase();
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
