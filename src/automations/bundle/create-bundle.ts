// `cm bundle create --lock=FILE --out=B.tar`: one tar with what a locked run needs on a machine
// without network: the git repos at their locked commits, the files the tree downloaded (verified
// against the lockfile), the lockfile, and first the manifest of it all (manifest.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { tmpSuffix } from '../../core/uid.js';
import type { CmContext } from '../context.js';
import { readLockfile } from '../script/lockfile/lockfile.js';
import { fileDigest } from '../utils/download.js';
import { progressTask } from '../utils/progress.js';
import { writeGitBundle } from './git-bundle.js';
import { lockedContents, locateDownloads } from './locate-downloads.js';
import {
  BUNDLE_FORMAT,
  BUNDLED_LOCKFILE,
  MANIFEST_NAME,
  type BundledDownload,
  type BundledFile,
  type BundledRepo,
  type BundleManifest,
} from './manifest.js';
import { reposToPack } from './repos-to-pack.js';
import type { TarEntry } from './tar-writer.js';
import { writeTar } from './tar-writer.js';

export interface CreateBundleRequest {
  /** The lockfile, as given (relative to the working folder). */
  lockFile: string;
  out: string;
  /** Pack repos that had uncommitted changes (their commit, without the changes). */
  allowDirty: boolean;
}

export interface CreateBundleResult {
  file: string;
  size: number;
  repos: Array<{ alias: string; commit: string }>;
  downloads: Array<{ file: string; sha256: string }>;
}

/** A file name for a repo's git bundle (aliases are folder names; owner@name stays readable). */
function repoBundleName(alias: string): string {
  return `repos/${alias.replace(/[^\w@.-]/g, '_')}.bundle`;
}

export async function createBundle(
  ctx: CmContext,
  req: CreateBundleRequest,
): Promise<CreateBundleResult> {
  const lockPath = resolve(ctx.cwd, req.lockFile);
  const lock = readLockfile(lockPath);
  const lockBytes = readFileSync(lockPath);
  const repos = reposToPack(ctx, lock, req.lockFile, req.allowDirty);
  const contents = lockedContents(lock);
  const found = await locateDownloads(contents, ctx.paths.downloadStore, req.lockFile);
  const out = resolve(ctx.cwd, req.out);
  mkdirSync(dirname(out), { recursive: true });
  const work = join(dirname(out), `.cm-bundle-${tmpSuffix()}`);
  const files: BundledFile[] = [];
  const entries: TarEntry[] = [];
  const pack = (path: string, source: string, sha256: string): void => {
    files.push({ path, sha256, size: statSync(source).size });
    entries.push({ name: path, source });
  };
  try {
    files.push({
      path: BUNDLED_LOCKFILE,
      sha256: createHash('sha256').update(lockBytes).digest('hex'),
      size: lockBytes.length,
    });
    entries.push({ name: BUNDLED_LOCKFILE, data: lockBytes });
    const bundledRepos: BundledRepo[] = [];
    for (const [n, r] of repos.entries()) {
      const into = join(work, `${n}.bundle`);
      writeGitBundle(ctx, {
        repoPath: r.path,
        commit: r.commit,
        into,
        work: join(work, `${n}.git`),
      });
      const file = repoBundleName(r.alias);
      pack(file, into, await fileDigest(into, 'sha256'));
      const url = r.url !== undefined ? { url: r.url } : {};
      bundledRepos.push({ alias: r.alias, uid: r.uid, ...url, commit: r.commit, file });
    }
    const downloads: BundledDownload[] = contents.map((c) => {
      const path = `downloads/${c.sha256}/${c.file}`;
      pack(path, found.get(c.sha256)!, c.sha256);
      return { file: c.file, sha256: c.sha256, urls: c.urls, path };
    });
    const manifest: BundleManifest = {
      cm_bundle: BUNDLE_FORMAT,
      created: new Date().toISOString(),
      cm_version: ctx.version,
      lockfile: BUNDLED_LOCKFILE,
      files,
      repos: bundledRepos,
      downloads,
    };
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const progress = progressTask(ctx.emit, { id: out, label: `packing ${basename(out)}`, total });
    const head: TarEntry = {
      name: MANIFEST_NAME,
      data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    };
    writeTar(out, [head, ...entries], (n) => progress.add(n));
    progress.finish();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const size = statSync(out).size;
  ctx.emit({
    type: 'info',
    text: `Bundle ${out} written (${size} bytes): ${repos.length} repo(s), ${contents.length} downloaded file(s) and the lockfile`,
  });
  return {
    file: out,
    size,
    repos: repos.map((r) => ({ alias: r.alias, commit: r.commit })),
    downloads: contents.map((c) => ({ file: c.file, sha256: c.sha256 })),
  };
}
