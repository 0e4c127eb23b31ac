// The build context of a generated Dockerfile (spec docker.md §4.1): the folder that holds the
// Dockerfile, a .dockerignore, this CM and the Node running it (cm/), the repos copied in (repos/),
// the lockfile and the files of --docker_copy_files. Files are hard-linked where the disk allows
// (a copy otherwise): the package and Node are large, and rebuilding the context is then cheap.
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { CM_CONTEXT_DIR } from '../../../core/container/dockerfile.js';
import { CmError } from '../../../core/errors.js';

/** Runtime libraries the CLI bundle loads (the rest is inside dist/cm.cjs). */
const RUNTIME_MODULES = ['js-yaml', 'argparse', 'fflate'];
/** What of the package the CLI needs. */
const PACKAGE_PARTS = ['package.json', 'bin', 'repo', 'python', 'schema'];
const FRONTS = ['cm', 'cmr', 'cme', 'mlc', 'mlcr', 'mlce'];

/** A hard link, else a copy dated as the original (the context's digest reads large files' times). */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
    const st = statSync(from);
    utimesSync(to, st.atime, st.mtime);
  }
}

/** `from` (a file or a folder) at `to`, files linked. */
function place(from: string, to: string): void {
  const st = statSync(from);
  if (st.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) place(join(from, name), join(to, name));
  } else if (st.isFile()) {
    mkdirSync(dirname(to), { recursive: true });
    linkOrCopy(from, to);
  }
}

/** This CM (package parts, the bundle, its libraries), Node, and a command per front. */
export function placeCm(contextDir: string, packageRoot: string, nodeBinary: string): void {
  const to = join(contextDir, CM_CONTEXT_DIR);
  rmSync(to, { recursive: true, force: true });
  for (const part of PACKAGE_PARTS)
    if (existsSync(join(packageRoot, part))) place(join(packageRoot, part), join(to, part));
  const bundle = join(packageRoot, 'dist', 'cm.cjs');
  if (!existsSync(bundle))
    throw new CmError('file-not-found', `${bundle} is missing: the CLI is not built`, {
      hint: 'run "npm run build" in the package first',
    });
  place(bundle, join(to, 'dist', 'cm.cjs'));
  const require = createRequire(join(packageRoot, 'package.json'));
  for (const m of RUNTIME_MODULES) {
    const dir = dirname(require.resolve(`${m}/package.json`));
    place(dir, join(to, 'node_modules', m));
  }
  place(nodeBinary, join(to, 'node', 'bin', 'node'));
  mkdirSync(join(to, 'cmd'), { recursive: true });
  for (const front of FRONTS) {
    const file = join(to, 'cmd', front);
    writeFileSync(file, `#!/bin/sh\nexec node /opt/cm/bin/${front}.js "$@"\n`);
    chmodSync(file, 0o755);
  }
}

/** A repo's folder copied as it is (uncommitted changes and .git included). */
export function placeRepo(contextDir: string, name: string, repoPath: string): string {
  const rel = `repos/${name}`;
  const to = join(contextDir, rel);
  rmSync(to, { recursive: true, force: true });
  // Links stay links, as written (a relative one keeps pointing inside the repo in the image).
  cpSync(repoPath, to, { recursive: true, verbatimSymlinks: true });
  return rel;
}

/** A file of --docker_copy_files (`src:dst`) in the context: its COPY source and destination. */
export function placeCopyFile(
  contextDir: string,
  spec: string,
  cwd: string,
): { src: string; dst: string } {
  const i = spec.lastIndexOf(':');
  if (i <= 0)
    throw new CmError('bad-input', `--docker_copy_files: "${spec}" is not SRC:DST`, {
      hint: 'e.g. --docker_copy_files,=data/x.txt:/home/cmuser/x.txt',
    });
  const src = resolve(cwd, spec.slice(0, i));
  if (!existsSync(src))
    throw new CmError('file-not-found', `--docker_copy_files: ${src} does not exist`, {
      hint: 'give a path on this machine, relative to the current folder or absolute',
    });
  const rel = `files/${basename(src)}`;
  rmSync(join(contextDir, rel), { recursive: true, force: true });
  place(src, join(contextDir, rel));
  return { src: rel, dst: spec.slice(i + 1) };
}
