// The files a script downloaded (download-file and its kind export *_DOWNLOAD_DOWNLOADED_PATH), for
// the lockfile: where they are and from which URL; their sha256 is computed only when a lockfile
// is written or checked, reading the file in chunks (models are gigabytes).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { Env } from '../../../core/script/env.js';
import { maskUrlUserinfo } from '../../../core/secrets.js';

export interface DownloadedFile {
  path: string;
  url?: string;
}

/** The downloaded files that `newEnv` names (`env`: the run's, for the URL). */
export function downloadsOf(newEnv: Env, env: Env): DownloadedFile[] {
  const out: DownloadedFile[] = [];
  for (const [k, v] of Object.entries(newEnv)) {
    const m = /^(.*_)DOWNLOAD_DOWNLOADED_PATH$/.exec(k);
    if (!m || typeof v !== 'string' || !existsSync(v) || !statSync(v).isFile()) continue;
    const url = env[`${m[1]}DOWNLOAD_URL`];
    out.push(typeof url === 'string' && url ? { path: v, url: maskUrlUserinfo(url) } : { path: v });
  }
  return out;
}

/** The sha256 of `file`, read 1 MiB at a time. */
export function sha256Of(file: string): string {
  // node:crypto is loaded only here: the engine imports this file on every run.
  const { createHash } = createRequire(import.meta.url)(
    'node:crypto',
  ) as typeof import('node:crypto');
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** What a lockfile records of a downloaded file (its name, URL and content). */
export function lockedDownload(d: DownloadedFile): { file: string; url?: string; sha256: string } {
  return { file: basename(d.path), ...(d.url ? { url: d.url } : {}), sha256: sha256Of(d.path) };
}
