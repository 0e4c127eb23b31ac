// The files a script downloaded (download-file and its kind export *_DOWNLOAD_DOWNLOADED_PATH), for
// the lockfile: where they are and from which URL; their sha256 is computed only when a lockfile
// is written or checked, reading the file in chunks (models are gigabytes).
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Env } from '../../../core/script/env.js';
import { maskUrlUserinfo } from '../../../core/secrets.js';
import type { LockedDownload } from './lockfile.js';

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

/** What a lockfile records of a downloaded file (its name, URL, content and where it is). */
export async function lockedDownload(d: DownloadedFile): Promise<LockedDownload> {
  // The downloader's own digest, streamed; loaded only when a lockfile is made (it loads crypto).
  const { fileDigest } = await import('../../utils/download.js');
  return {
    file: basename(d.path),
    ...(d.url ? { url: d.url } : {}),
    sha256: await fileDigest(d.path, 'sha256'),
    path: resolve(d.path),
  };
}
