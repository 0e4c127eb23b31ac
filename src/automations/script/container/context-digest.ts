// Whether an image was built from this very build context: a digest of the context (the
// Dockerfile, lockfile and repos by content; CM's large files, linked from the package, by
// size and time) kept beside the Dockerfile with the id of the image built from it. An existing
// image is reused only when both still match: a new lockfile or an edited script rebuilds it
// (the engine's layer cache keeps that cheap), an unchanged context starts no build at all.
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { CM_CONTEXT_DIR } from '../../../core/container/dockerfile.js';

const LARGE = 1 << 20;

function walk(dir: string, root: string, hash: ReturnType<typeof createHash>): void {
  const names = readdirSync(dir).sort();
  for (const name of names) {
    const p = join(dir, name);
    const st = lstatSync(p);
    const rel = relative(root, p);
    // A link counts by where it points (it may dangle here, or point up the tree).
    if (st.isSymbolicLink()) hash.update(`${rel}\0->${readlinkSync(p)}\0`);
    else if (st.isDirectory()) walk(p, root, hash);
    else if (st.isFile()) {
      hash.update(`${rel}\0${st.size}\0${st.mode & 0o111 ? 'x' : '-'}\0`);
      // Large files (Node, the bundle) by time: they are links to (or copies dated as) the package's.
      if (rel.startsWith(`${CM_CONTEXT_DIR}/`) && st.size > LARGE) hash.update(`${st.mtimeMs}\0`);
      else hash.update(readFileSync(p));
    }
  }
}

/** The digest of what a build of `dockerfile` in `contextDir` reads. */
export function contextDigest(contextDir: string, dockerfile: string): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(dockerfile));
  for (const name of readdirSync(contextDir).sort()) {
    const p = join(contextDir, name);
    // Other Dockerfiles and their scripts share the folder; only this one's inputs count.
    const st = lstatSync(p);
    if (st.isFile() && /\.Dockerfile(\..*)?$/.test(name)) continue;
    if (st.isDirectory()) walk(p, contextDir, hash);
    else hash.update(`${name}\0`).update(readFileSync(p));
  }
  return hash.digest('hex');
}

interface Stamp {
  image: string;
  image_id: string;
  context: string;
}

const stampFile = (dockerfile: string) => `${dockerfile}.image.json`;

/** The id of the image built from this context, when the stamp says so. */
export function builtFrom(dockerfile: string, image: string, digest: string): string | undefined {
  const f = stampFile(dockerfile);
  if (!existsSync(f)) return undefined;
  try {
    const s = JSON.parse(readFileSync(f, 'utf8')) as Stamp;
    return s.image === image && s.context === digest ? s.image_id : undefined;
  } catch {
    return undefined;
  }
}

export function recordBuild(
  dockerfile: string,
  image: string,
  imageId: string,
  digest: string,
): void {
  const stamp: Stamp = { image, image_id: imageId, context: digest };
  writeFileSync(stampFile(dockerfile), `${JSON.stringify(stamp, null, 2)}\n`);
}
