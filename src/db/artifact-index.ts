// The persistent artifact index: for every repo, automation folder and artifact folder it keeps
// alias, uid, automation and tags, with the mtime/size of the files they were read from. Every
// query first re-validates it against the file system (one stat per meta file, one per folder),
// so it is never stale, and a miss never costs a parse of every meta.
import { readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isCmError } from '../core/errors.js';
import type { EventSink } from '../core/events.js';
import { applyInheritedTags, type ArtifactEntry } from './artifact-entry.js';
import { writeFileAtomic } from './atomic-file.js';
import { fastStat } from './fast-stat.js';
import { ensureHome, INTERNAL_REPO_UID, readRegisteredRepoPaths, type HomePaths } from './home.js';
import {
  decodeIndex,
  encodeIndex,
  type IndexData,
  type IndexedRepo,
  type Stamp,
} from './index-file.js';
import { mtimeOf, sub, subdirs, trusted } from './index-freshness.js';
import { KEEP_ALL, prefilter, type RecordFilter } from './index-query.js';
import {
  emptyDir,
  F_AUTOMATION_ALIAS,
  F_AUTOMATION_UID,
  F_BASE,
  F_NAME,
  field,
  isEmptyField,
  recordAlias,
  recordStarts,
  splitRecord,
  type IndexedDir,
} from './index-record.js';
import { refreshDir } from './index-refresh.js';
import { toEntry, type Folder, type RecordAt } from './stored-entry.js';
import { withLock } from './lock.js';
import { readDictFile } from './meta-file.js';
import {
  META_FILES_OF,
  REPO_META_FILES,
  resolveRepoMeta,
  type Repo,
  type RepoMeta,
} from './repo.js';
import { searchArtifacts, type ArtifactQuery, type AutomationFilter } from './search.js';

export interface IndexOptions {
  paths: HomePaths;
  internalRepoPath: string;
  emit: EventSink;
  /** false (CM_INDEX=no): nothing is read from or written to disk; every refresh is a full scan. */
  persistent: boolean;
}

function stampOf(dir: string, name: string): Stamp | undefined {
  const st = fastStat(sub(dir, name));
  return st?.[2] ? [name, st[0], st[1]] : undefined;
}

function tagMap(entries: readonly ArtifactEntry[]): Map<string, ArtifactEntry[]> {
  const m = new Map<string, ArtifactEntry[]>();
  for (const e of entries) {
    for (const t of new Set(e.tags)) {
      const list = m.get(t);
      if (list) list.push(e);
      else m.set(t, [e]);
    }
  }
  return m;
}

export class ArtifactIndex {
  readonly #options: IndexOptions;
  #data: IndexData = { repos: {} };
  #dirty = false;
  #fresh = false;
  #repos: Repo[] = [];
  /** Repos with their index data, in search order (valid while #fresh). */
  #scopes: Array<{ repo: Repo; rec: IndexedRepo }> = [];
  #entries: ArtifactEntry[] | undefined;
  /** Effective tags (",a,b,") of artifacts with `_base`, by path. */
  #inherited = new Map<string, string>();
  #queries = 0;
  #byTag: Map<string, ArtifactEntry[]> | undefined;
  /** Automation folders to re-validate, alone, before the next query (see markStale). */
  #staleFolders = new Set<string>();

  constructor(options: IndexOptions) {
    this.#options = options;
  }

  /**
   * Repos in search order: local, internal, then registered ones in repos.json order. A folder
   * marked stale is checked by the next query of artifacts, not here: it changes no repo.
   */
  repos(): Repo[] {
    if (!this.#fresh) this.#refresh();
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
   * Artifacts matching `q`, in the order of entries(). A wanted tag, uid or alias is first looked
   * for in each folder's text, and entries are made for the records found only; the scan decides
   * the automation, searchArtifacts() the names and tags.
   */
  query(q: ArtifactQuery): ArtifactEntry[] {
    this.#refresh();
    // A process that asks many questions (a script run with deps) builds the entries once.
    if (this.#entries === undefined && ++this.#queries > 8) this.entries();
    if (this.#entries !== undefined) {
      // Narrow by the rarest wanted tag (a tag → entries map built once per refresh).
      const include = q.tags?.include ?? [];
      if (include.length > 0) {
        this.#byTag ??= tagMap(this.#entries);
        let best: ArtifactEntry[] | undefined;
        for (const t of include) {
          const list = this.#byTag.get(t) ?? [];
          if (!best || list.length < best.length) best = list;
        }
        return searchArtifacts(best ?? [], q);
      }
      return searchArtifacts(this.#entries, q);
    }
    const candidates: ArtifactEntry[] = [];
    this.#scan(prefilter(q), (at) => candidates.push(toEntry(at)));
    // The scan decided the automation exactly; names and tags were only narrowed down.
    return searchArtifacts(candidates, { refs: q.refs, tags: q.tags });
  }

  /** Aliases of the artifacts of one automation (for did-you-mean), without building entries. */
  aliases(automation: AutomationFilter): string[] {
    this.#refresh();
    const out: string[] = [];
    const pre = prefilter({ automation });
    this.#scan(pre, ({ folder, start }) => out.push(recordAlias(folder.t, start)));
    return out;
  }

  /** Whether some artifact's meta could not be parsed (then queries should report it). */
  hasUnreadable(): boolean {
    this.#refresh();
    return this.#scopes.some(({ rec }) =>
      Object.values(rec.dirs).some((d) => Object.keys(d.e).length > 0),
    );
  }

  /**
   * Force the next query to re-validate (after this process changed files). With `folder`, the
   * path of one automation folder (a repo's `cache`), only that folder is checked again, as long
   * as the index knows it: what a cache entry's claim or save changes, in a few stats.
   */
  markStale(folder?: string): void {
    if (folder === undefined || !this.#fresh) {
      this.#fresh = false;
      this.#staleFolders.clear();
    } else this.#staleFolders.add(folder);
  }

  /** Throw away everything and rebuild from disk (`cm reindex repo`). */
  rebuild(): number {
    this.#data = { repos: {} };
    this.#dirty = true;
    this.#fresh = false;
    return this.entries().length;
  }

  /** Write the index back if this process changed it. Another writer's copy is equally valid. */
  save(): void {
    if (!this.#dirty || !this.#options.persistent) return;
    const { paths } = this.#options;
    withLock(join(paths.locksDir, 'index.lock'), () => {
      writeFileAtomic(paths.indexFile, encodeIndex(this.#data));
    });
    try {
      rmSync(paths.oldIndexFile, { force: true });
    } catch {
      // tidying only: an old index left behind is read by nothing
    }
    this.#dirty = false;
  }

  #load(): void {
    if (!this.#options.persistent) return;
    let buf: Buffer;
    try {
      buf = readFileSync(this.#options.paths.indexFile);
    } catch {
      return;
    }
    // Another format or a damaged file is only a cache: rebuild it.
    const data = decodeIndex(buf);
    if (data) this.#data = data;
    else this.#dirty = true;
  }

  #refresh(): void {
    if (this.#fresh && (this.#staleFolders.size === 0 || this.#refreshFolders())) return;
    this.#staleFolders.clear();
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
    this.#byTag = undefined;
    this.#inherited = new Map();
    this.#fresh = true;
    if (scopes.some(({ rec }) => Object.values(rec.dirs).some((d) => d.b))) {
      // Rare: resolve `_base` chains over all artifacts once, then queries use the result.
      const all = this.entries();
      applyInheritedTags(all);
      for (const e of all)
        if (e.base !== undefined) this.#inherited.set(e.path, `,${e.tags.join(',')},`);
    }
  }

  /**
   * Re-validate the folders marked stale, each as the full refresh would; false when only a full
   * refresh will do (a folder the index does not know yet, or `_base` chains to resolve again).
   */
  #refreshFolders(): boolean {
    const folders = [...this.#staleFolders];
    this.#staleFolders.clear();
    let changed = false;
    for (const path of folders) {
      const at = this.#scopeOfFolder(path);
      if (!at) return false;
      const { rec, dirName } = at;
      const dir = rec.dirs[dirName]!;
      if (refreshDir(path, dirName, dir, META_FILES_OF[rec.meta.format])) changed = true;
    }
    if (!changed) return true;
    this.#dirty = true;
    if (this.#scopes.some(({ rec }) => Object.values(rec.dirs).some((d) => d.b))) return false;
    this.#entries = undefined;
    this.#byTag = undefined;
    return true;
  }

  /** The repo and automation folder name of the folder at `path`, if the index has it. */
  #scopeOfFolder(path: string): { rec: IndexedRepo; dirName: string } | undefined {
    const dirName = basename(path);
    const parent = dirname(path);
    for (const { repo, rec } of this.#scopes)
      if (repo.artifactsRoot === parent && Object.hasOwn(rec.dirs, dirName))
        return { rec, dirName };
    return undefined;
  }

  /**
   * Visit every record that `keep` lets through, in search order: exactly those of its automation
   * (the folder's, or the one a record names), the others as keep.record() narrows them down.
   * `visit` gets one object per folder, changed for each record: it must take what it keeps from
   * it during the call.
   */
  #scan(keep: RecordFilter, visit: (at: RecordAt) => void): void {
    for (const { repo, rec } of this.#scopes) {
      if (!keep.repo(repo)) continue;
      for (const dirName in rec.dirs) {
        const dir = rec.dirs[dirName]!;
        if (dir.n === 0) continue;
        const dirMatches = keep.automation(dirName, dir.U);
        // Another automation's folder: only its records that name their own automation count.
        if (!dirMatches && !dir.o) continue;
        const { t, s, U, e } = dir;
        const prefix = sub(sub(repo.artifactsRoot, dirName), '');
        const folder: Folder = { repo, name: dirName, prefix, U, t, s, e };
        const where: RecordAt = { folder, start: 0, b: undefined, at: 0 };
        const ownAutomationMatches = (b: Int32Array, ownAlias: boolean, ownUid: boolean): boolean =>
          keep.automation(
            ownAlias ? field(t, b, F_AUTOMATION_ALIAS) : dirName,
            ownUid ? field(t, b, F_AUTOMATION_UID) : U,
          );
        const look = (start: number, at: number): void => {
          const b = splitRecord(t, start);
          const ownAlias = !isEmptyField(b, F_AUTOMATION_ALIAS);
          const ownUid = !isEmptyField(b, F_AUTOMATION_UID);
          if (!ownAlias && !ownUid ? !dirMatches : !ownAutomationMatches(b, ownAlias, ownUid))
            return;
          const inherited = isEmptyField(b, F_BASE)
            ? undefined
            : this.#inherited.get(prefix + field(t, b, F_NAME));
          if (!keep.record(t, b, inherited)) return;
          where.start = start;
          where.b = b;
          where.inherited = inherited;
          where.at = at;
          visit(where);
        };
        if (dirMatches && keep.takesEvery && !dir.o && !dir.b) {
          // Every record, as it is: no need to read one.
          for (let i = 0, from = 0; i < dir.n; i++) {
            where.start = from;
            where.at = i;
            visit(where);
            from = t.indexOf('\n', from) + 1;
          }
          continue;
        }
        const candidates = keep.candidates(dir);
        if (candidates) {
          const starts = recordStarts(dir);
          for (const i of candidates) look(starts[i]!, i);
          continue;
        }
        for (let i = 0, from = 0; i < dir.n; i++) {
          look(from, i);
          from = t.indexOf('\n', from) + 1;
        }
      }
    }
  }

  #refreshRepo(root: string, kind: Repo['kind']): IndexedRepo | undefined {
    let rec = this.#data.repos[root];
    // Repo meta: re-read only when cmr.yaml/cmr.json (MLC: meta.yaml/meta.json) changed.
    let cmr: Stamp | undefined;
    for (const name of REPO_META_FILES) {
      cmr = stampOf(root, name);
      if (cmr) break;
    }
    if (!cmr) {
      this.#options.emit({
        type: 'warning',
        text: `${root} has no cmr.yaml or cmr.json (nor an MLC meta.yaml): skipped (run "cm rm repo" or restore it)`,
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
      const prefixChanged =
        rec && (rec.meta.prefix !== meta.prefix || rec.meta.format !== meta.format);
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
      // A folder "__proto__" cannot be a key of `dirs` (it would become its prototype): skipped.
      const names = subdirs(artifactsRoot).filter((n) => n !== '__proto__');
      const dirs: Record<string, IndexedDir> = {};
      for (const n of names) {
        // Own keys only: a folder may be named like an inherited property (constructor ...).
        const known = Object.hasOwn(rec.dirs, n) ? rec.dirs[n] : undefined;
        dirs[n] = known ?? emptyDir();
      }
      rec.dirs = dirs;
      rec.rootMtime = trusted(rootMtime);
      this.#dirty = true;
    }
    const metaFiles = META_FILES_OF[rec.meta.format];
    for (const [dirName, dir] of Object.entries(rec.dirs)) {
      if (refreshDir(sub(artifactsRoot, dirName), dirName, dir, metaFiles)) this.#dirty = true;
    }
    return rec;
  }
}
