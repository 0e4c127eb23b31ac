// `cm pack repo NAME` → a zip of the repo (without .git); `cm unpack repo FILE` → a registered repo.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import { tmpSuffix } from '../../core/uid.js';
import { findRepoMetaFile, readRepoMeta, REPO_META_FILES, resolveRepoMeta } from '../../db/repo.js';
import { parseJson, parseYaml } from '../../db/meta-file.js';
import { isDict } from '../../core/merge.js';
import { writeFileAtomic } from '../../db/atomic-file.js';
import { withFsErrors } from '../../db/fs-error.js';
import type { ActionSpec } from '../action.js';
import type { CmContext } from '../context.js';
import { str } from '../input.js';
import { selectRepo } from './manage.js';
import { importModule } from '../import-module.js';
import { registerRepo } from './register.js';
import { unzipFile } from '../utils/unzip.js';
import { ZipArchive } from '../utils/zip-reader.js';

function collect(root: string, rel: string, out: Record<string, Uint8Array>): void {
  for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
    if (
      d.name === '.git' ||
      d.name.startsWith('.deleted-') ||
      d.name.startsWith('.new-') ||
      d.name.startsWith('.copy-')
    )
      continue;
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) collect(root, r, out);
    else if (d.isFile()) out[r] = readFileSync(join(root, r));
  }
}

export const pack: ActionSpec = {
  summary: 'pack a repo into a zip archive (without .git)',
  usage: 'cm pack repo NAME [--file=cm.zip]',
  flags: [['--file=FILE', 'archive to write (default ./cm.zip)']],
  async run(input, ctx) {
    const repo = selectRepo(ctx, str(input, 'artifact'));
    const file = resolve(ctx.cwd, str(input, 'file') || 'cm.zip');
    const { zipSync } = (await importModule('fflate')) as typeof import('fflate');
    const files: Record<string, Uint8Array> = {};
    collect(repo.path, '', files);
    const data = zipSync(files, { level: 6 });
    withFsErrors(
      {
        what: 'the archive',
        target: file,
        hint: 'write it elsewhere with --file=PATH, or run the command in a writable folder',
      },
      () => {
        mkdirSync(dirname(file), { recursive: true });
        writeFileAtomic(file, data);
      },
    );
    ctx.emit({
      type: 'info',
      text: `Packed repo ${repo.alias} (${Object.keys(files).length} files) into ${file}`,
    });
    return { file, files: Object.keys(files).length };
  },
};

/**
 * Unpack the whole archive into a temporary folder beside `target` (every entry checked before
 * anything is written, as extract_file does), renamed into place only once complete.
 */
export async function extractZip(ctx: CmContext, file: string, target: string): Promise<void> {
  const tmp = join(dirname(target), `.unpack-${tmpSuffix()}`);
  mkdirSync(tmp, { recursive: true });
  let files: number;
  try {
    files = await unzipFile(file, tmp, 0);
    if (existsSync(target))
      throw new CmError('target-exists', `${target} already exists`, {
        hint: 'remove it or unpack with --path=OTHER',
      });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  ctx.emit({ type: 'info', text: `Extracted ${files} files into ${target}` });
}

/** The name and text of the repo meta at the archive's top level: cmr.yaml/cmr.json, or an MLC repo's meta.yaml/meta.json. */
async function readArchiveMeta(file: string): Promise<{ metaName: string; metaText: string }> {
  const zip = new ZipArchive(file);
  try {
    const meta = REPO_META_FILES.map((n) => zip.entries.find((e) => e.name === n)).find(
      (e) => e !== undefined,
    );
    if (!meta)
      throw new CmError(
        'bad-repo-meta',
        `${file} holds no cmr.yaml or cmr.json (nor an MLC meta.yaml) at its top level`,
        { hint: 'make archives with "cm pack repo NAME"' },
      );
    return { metaName: meta.name, metaText: (await zip.readEntry(meta, 1 << 24)).toString('utf8') };
  } finally {
    zip.close();
  }
}

export const unpack: ActionSpec = {
  summary:
    'unpack a repo archive made by "cm pack repo" into $CM_REPOS/repos/ALIAS and register it',
  usage: 'cm unpack repo [FILE (default ./cm.zip)] [--path=DIR]',
  flags: [
    ['--path=DIR', 'where to unpack and register it'],
    ['--file=FILE', 'the archive (the same as FILE)'],
  ],
  async run(input, ctx) {
    const file = resolve(ctx.cwd, str(input, 'artifact') || str(input, 'file') || 'cm.zip');
    if (!existsSync(file)) throw new CmError('file-not-found', `File ${file} not found`);
    // Read the alias from the archive's meta before extracting anything.
    const { metaName, metaText } = await readArchiveMeta(file);
    const metaLabel = `${file}!${metaName}`;
    const rawMeta = metaName.endsWith('.json')
      ? parseJson(metaText, metaLabel)
      : parseYaml(metaText, metaLabel);
    if (!isDict(rawMeta)) throw new CmError('bad-repo-meta', `${metaLabel}: must be a mapping`);
    const alias = resolveRepoMeta(rawMeta, metaLabel).alias;
    const target = str(input, 'path')
      ? resolve(ctx.cwd, str(input, 'path')!)
      : join(ctx.paths.reposDir, alias);
    const clash = ctx.index.repos().find((r) => r.alias === alias);
    if (clash)
      throw new CmError(
        'repo-exists',
        `a repo with alias "${alias}" is already registered at ${clash.path}`,
        { hint: `cm rm repo ${alias} -f first` },
      );
    mkdirSync(dirname(target), { recursive: true });
    await extractZip(ctx, file, target);
    if (!findRepoMetaFile(target))
      throw new CmError('bad-repo-meta', `${target}: no cmr.yaml after unpacking`);
    try {
      registerRepo(ctx, target, readRepoMeta(target).meta);
    } catch (e) {
      rmSync(target, { recursive: true, force: true });
      throw e;
    }
    ctx.emit({ type: 'info', text: `Registered repo ${alias} at ${target}` });
    return { path: target, alias };
  },
};
