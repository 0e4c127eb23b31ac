// extract-file: unpack through `cm extract_file utils` (CM's own checked extraction).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, normalize, resolve } from 'node:path';

async function md5(file) {
  const h = createHash('md5');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

/** Where it is unpacked: --extract_path (relative to where cm was run) or the working folder. */
function baseOf(env) {
  return env.CM_EXTRACT_PATH ? resolve(String(env.CM_TMP_CURRENT_PATH || process.cwd()), String(env.CM_EXTRACT_PATH)) : process.cwd();
}

/** The result: the --extra_folder, the single unpacked file, or the folder itself. */
function resultOf(env) {
  const base = baseOf(env);
  const name = String(env.CM_EXTRACT_EXTRACTED_FILENAME ?? '');
  if (!name) return base;
  return env.CM_EXTRACT_TO_FOLDER ? join(base, String(env.CM_EXTRACT_TO_FOLDER)) : join(base, basename(name));
}

export async function preprocess(i) {
  const env = i.env;
  const userCwd = String(env.CM_TMP_CURRENT_PATH || process.cwd());
  const archive = env.CM_EXTRACT_FILEPATH ? resolve(userCwd, String(env.CM_EXTRACT_FILEPATH)) : '';
  if (!archive) return { return: 1, error: 'nothing to extract: give --input=ARCHIVE (or _path.ARCHIVE)' };
  if (!existsSync(archive)) return { return: 16, error: `archive ${archive} not found (--input)` };
  env.CM_EXTRACT_FILENAME = archive;
  const base = baseOf(env);
  const folder = env.CM_EXTRACT_TO_FOLDER ? String(env.CM_EXTRACT_TO_FOLDER) : '';
  if (folder && (isAbsolute(folder) || normalize(folder).split(/[\\/]/).includes('..')))
    return { return: 1, error: `--extra_folder must be a folder inside ${base} (found "${folder}")` };
  const root = folder ? join(base, folder) : base;
  if (folder) env.CM_EXTRACT_EXTRACTED_FILENAME = folder;
  mkdirSync(base, { recursive: true });

  // A single compressed file already unpacked with the expected md5 is not unpacked again.
  const done = env.CM_EXTRACT_EXTRACTED_FILENAME ? resultOf(env) : '';
  const want = String(env.CM_EXTRACT_EXTRACTED_CHECKSUM ?? '').toLowerCase();
  if (done && want && existsSync(done) && statSync(done).isFile() && (await md5(done)) === want) {
    i.automation.cmind.logger.info(`${done} is already there with the expected md5: not extracting again`);
    env.CM_EXTRACT_SKIPPED = 'yes';
    return { return: 0 };
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

export async function postprocess(i) {
  const env = i.env;
  const path = resultOf(env);
  if (!existsSync(path)) return { return: 1, error: `the extracted path ${path} does not exist` };
  const want = String(env.CM_EXTRACT_EXTRACTED_CHECKSUM ?? '').toLowerCase();
  if (want && statSync(path).isFile()) {
    const got = await md5(path);
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
