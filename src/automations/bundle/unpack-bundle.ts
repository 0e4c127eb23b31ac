// The first half of `cm bundle install`: the tar unpacked into a scratch folder, its manifest read
// and every packed file checked against it (sha256 and size; a file it does not list is refused
// too). Nothing outside the scratch folder is touched; a bundle that fails a check says which files.
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CmError, isCmError } from '../../core/errors.js';
import type { CmContext } from '../context.js';
import { parseLockfile, type Lockfile } from '../script/lockfile/lockfile.js';
import { archiveFormat, extractArchive } from '../utils/archive.js';
import { fileDigest } from '../utils/download.js';
import { MANIFEST_NAME, parseManifest, type BundleManifest } from './manifest.js';

export interface UnpackedBundle {
  /** Where its files are (paths of the manifest are relative to it). */
  dir: string;
  manifest: BundleManifest;
  lock: Lockfile;
  /** The lockfile's bytes, as packed. */
  lockBytes: Buffer;
}

function notABundle(shown: string, why: string): CmError {
  return new CmError('bad-input', `${shown} is not a CM bundle: ${why}`, {
    hint: 'make one with cm bundle create --lock=FILE --out=B.tar',
  });
}

/** The bundle file exists and can be read. */
function checkReadable(file: string, shown: string): void {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile())
    throw new CmError('file-not-found', `bundle ${shown} not found`, {
      hint: 'give the file that cm bundle create --out=FILE wrote',
    });
  try {
    accessSync(file, constants.R_OK);
  } catch (e) {
    throw new CmError(
      'permission-denied',
      `bundle ${shown} cannot be read: ${(e as Error).message}`,
      {
        hint: `make it readable (chmod u+r ${file}) or copy it somewhere you can read it`,
      },
    );
  }
}

/** Every file under `dir` as a relative path with / separators; links and others as problems. */
function filesUnder(dir: string, rel: string, files: string[], problems: string[]): void {
  for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel === '' ? d.name : `${rel}/${d.name}`;
    if (d.isDirectory()) filesUnder(dir, path, files, problems);
    else if (d.isFile()) files.push(path);
    else problems.push(`${path}: not a regular file (bundles hold files only)`);
  }
}

/** Each packed file against the manifest; all differences at once, naming each file. */
async function verifyFiles(dir: string, manifest: BundleManifest, shown: string): Promise<void> {
  const present: string[] = [];
  const problems: string[] = [];
  filesUnder(dir, '', present, problems);
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const path of present)
    if (path !== MANIFEST_NAME && !listed.has(path))
      problems.push(`${path}: not listed in ${MANIFEST_NAME}`);
  for (const f of manifest.files) {
    const st = statSync(join(dir, f.path), { throwIfNoEntry: false });
    if (!st?.isFile()) problems.push(`${f.path}: missing from the bundle`);
    else if (st.size !== f.size)
      problems.push(`${f.path}: ${st.size} bytes, the manifest says ${f.size}`);
    else {
      const sha256 = await fileDigest(join(dir, f.path), 'sha256');
      if (sha256 !== f.sha256)
        problems.push(`${f.path}: sha256 ${sha256}, the manifest says ${f.sha256}`);
    }
  }
  if (problems.length > 0)
    throw new CmError(
      'checksum-mismatch',
      `${shown} does not match its manifest (nothing was installed):\n  ${problems.join('\n  ')}`,
      {
        hint: 'the bundle was damaged or changed after it was made: copy it again, or make it again with cm bundle create',
        details: { problems },
      },
    );
}

/** Unpacks bundle `file` (`shown` names it in messages) into `into` and checks it. */
export async function unpackBundle(
  ctx: CmContext,
  file: string,
  shown: string,
  into: string,
): Promise<UnpackedBundle> {
  checkReadable(file, shown);
  const format = archiveFormat(file);
  if (format === undefined || !format.startsWith('tar'))
    throw notABundle(shown, `it is not a tar archive${format ? ` (it looks like ${format})` : ''}`);
  try {
    await extractArchive({ file, root: into, strip: 0, format, emit: ctx.emit });
  } catch (e) {
    if (isCmError(e) && e.code === 'archive-failed')
      throw notABundle(shown, `it cannot be read as a tar (${e.message})`);
    throw e;
  }
  const manifestFile = join(into, MANIFEST_NAME);
  if (!statSync(manifestFile, { throwIfNoEntry: false })?.isFile())
    throw notABundle(shown, `it holds no ${MANIFEST_NAME}`);
  const manifest = parseManifest(readFileSync(manifestFile, 'utf8'), shown);
  await verifyFiles(into, manifest, shown);
  const lockBytes = readFileSync(join(into, manifest.lockfile));
  const lock = parseLockfile(lockBytes.toString('utf8'), `${shown}: ${manifest.lockfile}`);
  return { dir: into, manifest, lock, lockBytes };
}
