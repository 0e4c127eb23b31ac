// extract-file: unpack through `cm extract_file utils` (CM's own checked extraction).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

export async function preprocess(i) {
  const env = i.env;
  const archive = env.CM_EXTRACT_FILEPATH ? resolve(String(env.CM_EXTRACT_FILEPATH)) : '';
  if (!archive) return { return: 1, error: 'nothing to extract: give --input=ARCHIVE (or _path.ARCHIVE)' };
  if (!existsSync(archive)) return { return: 16, error: `archive ${archive} not found (--input)` };
  env.CM_EXTRACT_FILENAME = archive;
  const base = resolve(env.CM_EXTRACT_PATH ? String(env.CM_EXTRACT_PATH) : process.cwd());
  const folder = env.CM_EXTRACT_TO_FOLDER ? String(env.CM_EXTRACT_TO_FOLDER) : '';
  if (folder.includes('..') || folder.startsWith('/')) return { return: 1, error: `--extra_folder must be a folder name inside ${base} (found "${folder}")` };
  const root = folder ? join(base, folder) : base;
  if (folder) env.CM_EXTRACT_EXTRACTED_FILENAME = folder;
  mkdirSync(root, { recursive: true });

  // A single compressed file already unpacked with the expected md5 is not unpacked again.
  const done = env.CM_EXTRACT_EXTRACTED_FILENAME ? join(base, basename(String(env.CM_EXTRACT_EXTRACTED_FILENAME))) : '';
  const want = String(env.CM_EXTRACT_EXTRACTED_CHECKSUM ?? '').toLowerCase();
  if (done && want && existsSync(done) && statSync(done).isFile()) {
    if (createHash('md5').update(readFileSync(done)).digest('hex') === want) {
      i.automation.cmind.logger.info(`${done} is already there with the expected md5: not extracting again`);
      env.CM_EXTRACT_SKIPPED = 'yes';
      return { return: 0 };
    }
  }
  const r = await i.automation.cmind.access({
    action: 'extract_file',
    automation: 'utils,dc2743f8450541e3',
    filename: archive,
    path: root,
    strip_folders: env.CM_EXTRACT_STRIP_FOLDERS ?? 0,
    ...(env.CM_EXTRACT_FORMAT ? { format: env.CM_EXTRACT_FORMAT } : {}),
    ...(env.CM_EXTRACT_EXTRACTED_FILENAME && !folder ? { out_name: basename(String(env.CM_EXTRACT_EXTRACTED_FILENAME)) } : {}),
  });
  if (r.return > 0) return r;
  // A single compressed file: its unpacked file is the result.
  if (['gz', 'bz2', 'xz'].includes(r.format) && !folder) env.CM_EXTRACT_EXTRACTED_FILENAME = basename(r.path);
  i.automation.cmind.logger.info(`Extracted ${r.files} file(s) from ${archive} (${r.format}) into ${root}`);
  return { return: 0 };
}

export function postprocess(i) {
  const env = i.env;
  const base = resolve(env.CM_EXTRACT_PATH ? String(env.CM_EXTRACT_PATH) : process.cwd());
  const path = env.CM_EXTRACT_EXTRACTED_FILENAME ? join(base, basename(String(env.CM_EXTRACT_EXTRACTED_FILENAME))) : base;
  if (!existsSync(path)) return { return: 1, error: `the extracted path ${path} does not exist` };
  const want = String(env.CM_EXTRACT_EXTRACTED_CHECKSUM ?? '').toLowerCase();
  if (want && statSync(path).isFile()) {
    const got = createHash('md5').update(readFileSync(path)).digest('hex');
    if (got !== want) return { return: 1, error: `md5 of the extracted ${path} is ${got}, expected ${want}` };
  }
  env.CM_EXTRACT_EXTRACTED_PATH = path;
  if (env.CM_EXTRACT_FINAL_ENV_NAME) env[env.CM_EXTRACT_FINAL_ENV_NAME] = path;
  env.CM_GET_DEPENDENT_CACHED_PATH = path;
  // Ours: the archive is removed only when asked (the reference removes it unless _keep).
  if (String(env.CM_EXTRACT_REMOVE_EXTRACTED ?? '').toLowerCase() === 'yes' && env.CM_EXTRACT_SKIPPED !== 'yes')
    rmSync(String(env.CM_EXTRACT_FILENAME), { force: true });
  return { return: 0 };
}
