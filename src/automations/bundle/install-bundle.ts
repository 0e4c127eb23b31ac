// `cm bundle install B.tar [--lock=FILE]`, on a machine without network: the bundle unpacked and
// checked in a scratch folder of the CM home (unpack-bundle.ts), its repos cloned there, and only
// then moved into place: the repos registered at their commits, the downloaded files into the
// download store (db/download-store.ts), the lockfile written. A failing check installs nothing.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import { tmpSuffix } from '../../core/uid.js';
import { writeFileAtomic } from '../../db/atomic-file.js';
import { addToDownloadStore } from '../../db/download-store.js';
import type { CmContext } from '../context.js';
import type { Lockfile } from '../script/lockfile/lockfile.js';
import { frozenCommand } from '../script/lockfile/repro-readme.js';
import { cloneRepos, planRepos, registerRepos, type RepoPlan } from './install-repos.js';
import type { BundleManifest } from './manifest.js';
import { unpackBundle } from './unpack-bundle.js';

export interface InstallBundleRequest {
  file: string;
  /** Where the bundle's lockfile is written (relative to the working folder). */
  lockTo: string;
}

export interface InstallBundleResult {
  lockfile: string;
  /** The frozen run of the locked input. */
  command: string;
  repos: Array<{ alias: string; commit: string; path: string }>;
  downloads: Array<{ file: string; sha256: string; path: string }>;
}

/** The lockfile goes to `path` unless another file is there. */
function checkLockTarget(path: string, shown: string, bytes: Buffer): void {
  if (existsSync(path) && !readFileSync(path).equals(bytes))
    throw new CmError('target-exists', `${shown} exists and is another lockfile`, {
      hint: "write the bundle's lockfile elsewhere with --lock=FILE, or remove that one",
    });
}

/** A lockfile whose built-in scripts came with another CM version fails --frozen here. */
function warnOtherCm(ctx: CmContext, lock: Lockfile): void {
  for (const r of Object.values(lock.repos))
    if (r.kind === 'internal' && r.cm_version !== undefined && r.cm_version !== ctx.version)
      ctx.emit({
        type: 'warning',
        text: `the lockfile uses the scripts built into CM ${r.cm_version}; this is CM ${ctx.version}: --frozen refuses the run unless they are the same (npm install -g collective-mind@${r.cm_version})`,
      });
}

function storeDownloads(
  ctx: CmContext,
  manifest: BundleManifest,
  packed: string,
): InstallBundleResult['downloads'] {
  return manifest.downloads.map((d) => {
    const path = addToDownloadStore(ctx.paths.downloadStore, {
      sha256: d.sha256,
      file: join(packed, d.path),
      name: d.file,
      urls: d.urls,
    });
    ctx.emit({ type: 'info', text: `${d.file} is in the download store: ${path}` });
    return { file: d.file, sha256: d.sha256, path };
  });
}

function repoPaths(plans: readonly RepoPlan[]): InstallBundleResult['repos'] {
  return plans.map((p) => ({
    alias: p.repo.alias,
    commit: p.repo.commit,
    path: 'kept' in p ? p.kept : p.target,
  }));
}

export async function installBundle(
  ctx: CmContext,
  req: InstallBundleRequest,
): Promise<InstallBundleResult> {
  const file = resolve(ctx.cwd, req.file);
  const lockTo = resolve(ctx.cwd, req.lockTo);
  mkdirSync(ctx.paths.root, { recursive: true });
  // In the CM home: what is checked there moves into place by a rename.
  const scratch = join(ctx.paths.root, `.bundle-${tmpSuffix()}`);
  try {
    const packed = join(scratch, 'packed');
    const { manifest, lock, lockBytes } = await unpackBundle(ctx, file, req.file, packed);
    checkLockTarget(lockTo, req.lockTo, lockBytes);
    const plans = planRepos(ctx, manifest.repos, scratch);
    warnOtherCm(ctx, lock);
    cloneRepos(ctx, plans, packed);
    // Written before anything is registered, and taken back if that fails (unless it was there).
    const hadLock = existsSync(lockTo);
    writeFileAtomic(lockTo, lockBytes);
    let downloads: InstallBundleResult['downloads'];
    try {
      // Stored by content and verified: a file left there by a failure below does no harm.
      downloads = storeDownloads(ctx, manifest, packed);
      registerRepos(ctx, plans);
    } catch (e) {
      if (!hadLock) rmSync(lockTo, { force: true });
      throw e;
    }
    const command = frozenCommand(lock, req.lockTo);
    ctx.emit({ type: 'info', text: `Lockfile ${lockTo} written; run it with:\n  ${command}` });
    return { lockfile: lockTo, command, repos: repoPaths(plans), downloads };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
