// Unpacking a zip archive into a folder: every entry is listed and placed (EntryPlan) before any
// is written, then each streams to disk (zip-reader.ts), so memory stays bounded at any size.
// Symbolic links, special files, duplicate names and unsupported methods refuse the archive.
import { chmodSync, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { CmError } from '../../core/errors.js';
import { clearFile, EntryPlan } from './entry-plan.js';
import { ZipArchive, type ZipEntry } from './zip-reader.js';

/** Unpack the zip archive `file` into `root`; returns the number of files written. */
export async function unzipFile(
  file: string,
  root: string,
  strip: number,
  onRead?: (n: number) => void,
): Promise<number> {
  const zip = new ZipArchive(file);
  try {
    return await unzipArchive(zip, root, strip, onRead);
  } finally {
    zip.close();
  }
}

/**
 * Unpack an open zip archive into `root`. Pass 1 places every entry and refuses the archive
 * before anything is written; pass 2 writes. A file whose bytes turn out damaged in pass 2 is
 * removed (those written before it stay).
 */
export async function unzipArchive(
  zip: ZipArchive,
  root: string,
  strip: number,
  onRead?: (n: number) => void,
): Promise<number> {
  const plan = new EntryPlan(zip.file, root, strip);
  const writes: Array<{ entry: ZipEntry; out: string; isDir: boolean }> = [];
  for (const entry of zip.entries) {
    const type = entry.mode & 0o170000;
    if (type !== 0 && type !== 0o100000 && type !== 0o040000)
      plan.refuse(entry.name, 'is a symbolic link or a special file');
    const isDir = entry.name.endsWith('/') || type === 0o040000;
    const out = plan.place(entry.name, isDir ? 'dir' : 'file');
    if (out === undefined) continue;
    if (!isDir) zip.checkMethod(entry);
    writes.push({ entry, out, isDir });
  }
  mkdirSync(root, { recursive: true });
  let files = 0;
  for (const { entry, out, isDir } of writes) {
    if (isDir) {
      mkdirSync(out, { recursive: true });
      continue;
    }
    mkdirSync(dirname(out), { recursive: true });
    clearFile(out);
    await writeEntry(zip, entry, out, onRead);
    files++;
    if ((entry.mode & 0o777) !== 0) chmodSync(out, entry.mode & 0o777);
  }
  return files;
}

async function writeEntry(
  zip: ZipArchive,
  entry: ZipEntry,
  out: string,
  onRead?: (n: number) => void,
): Promise<void> {
  // 'wx': clearFile removed whatever was there, so nothing is followed or overwritten.
  const sink = createWriteStream(out, { flags: 'wx', highWaterMark: 1 << 20 });
  try {
    await zip.copyEntry(entry, sink, onRead);
  } catch (e) {
    sink.destroy();
    rmSync(out, { force: true });
    if (e instanceof CmError) throw e;
    throw new CmError(
      'archive-failed',
      `${zip.file}: cannot write ${out}: ${(e as Error).message}`,
      {
        hint: 'check the free space and the permissions of the folder',
      },
    );
  }
}
