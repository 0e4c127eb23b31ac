// download-file: CM's own downloader (_cmutil, default) runs here through `cm download_file utils`;
// _wget/_curl/_gdown/_rclone get a command for run.sh. postprocess checks the result.
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const sq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** The URL and its mirrors: --mirrors (a list or space-separated) and CM_DOWNLOAD_URL1..4. */
function urlsOf(env) {
  const m = env.CM_DOWNLOAD_MIRRORS;
  const mirrors = Array.isArray(m) ? m.map(String) : typeof m === 'string' ? m.split(/\s+/) : [];
  for (let n = 1; n <= 4; n++) if (env[`CM_DOWNLOAD_URL${n}`]) mirrors.push(env[`CM_DOWNLOAD_URL${n}`]);
  return [env.CM_DOWNLOAD_URL, ...mirrors.filter((u) => u !== '')];
}

/** The expected checksum, or undefined: { algorithm, hex }. */
function checksumOf(env) {
  if (env.CM_DOWNLOAD_CHECKSUM_SHA256) return { algorithm: 'sha256', hex: String(env.CM_DOWNLOAD_CHECKSUM_SHA256).trim().toLowerCase() };
  const c = String(env.CM_DOWNLOAD_CHECKSUM ?? '').trim().toLowerCase();
  if (!c) return undefined;
  return { algorithm: c.length === 64 ? 'sha256' : 'md5', hex: c };
}

async function digest(file, algorithm) {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

/** The file name from the URL, as the reference names it (index.html for a bare host). */
function nameFromUrl(url, tool) {
  let tail = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const slash = tail.lastIndexOf('/');
  const head = slash >= 0 ? tail.slice(0, slash) : '';
  tail = slash >= 0 ? tail.slice(slash + 1) : tail;
  try {
    tail = decodeURIComponent(tail);
  } catch {
    // kept as it is
  }
  if ((tail.includes('.') && head.includes('/')) || tool === 'rclone') return tail;
  return 'index.html';
}

export async function preprocess(i) {
  const env = i.env;
  const log = i.automation.cmind.logger;
  const tool = env.CM_DOWNLOAD_TOOL || 'cmutil';
  const sum = checksumOf(env);
  if (sum && !(sum.algorithm === 'md5' ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{64}$/).test(sum.hex))
    return { return: 1, error: `the checksum "${sum.hex}" is neither an md5 (32 hex digits) nor a sha256 (64)` };

  // Paths the user gave are relative to where cm was run (a cached run works in its entry).
  const userCwd = String(env.CM_TMP_CURRENT_PATH || process.cwd());
  if (env.CM_DOWNLOAD_LOCAL_FILE_PATH) {
    const file = resolve(userCwd, String(env.CM_DOWNLOAD_LOCAL_FILE_PATH));
    if (!existsSync(file)) return { return: 16, error: `local file ${file} does not exist (--local_path)` };
    env.CM_DOWNLOAD_CMD = '';
    env.CM_DOWNLOAD_FILENAME = file;
    env.CM_DOWNLOAD_DOWNLOADED_PATH = file;
    log.info(`Using the local file ${file}`);
    return { return: 0 };
  }
  const urls = urlsOf(env).filter(Boolean);
  if (urls.length === 0)
    return { return: 1, error: 'no URL to download: give --url=URL (or _url.URL, or --env.CM_DOWNLOAD_URL=URL)' };

  const dir = env.CM_DOWNLOAD_PATH ? resolve(userCwd, String(env.CM_DOWNLOAD_PATH)) : process.cwd();
  mkdirSync(dir, { recursive: true });
  if (!env.CM_DOWNLOAD_FILENAME) env.CM_DOWNLOAD_FILENAME = nameFromUrl(urls[0], tool);
  const file = join(dir, basename(String(env.CM_DOWNLOAD_FILENAME)));
  env.CM_DOWNLOAD_DOWNLOADED_FILENAME = env.CM_DOWNLOAD_FILENAME;
  env.CM_DOWNLOAD_DOWNLOADED_PATH = file;
  env.CM_DOWNLOAD_CMD = '';
  const verify = !['no', 'false', 'off', '0'].includes(String(env.CM_VERIFY_SSL ?? 'yes').toLowerCase());
  const retries = env.CM_DOWNLOAD_RETRIES !== undefined && env.CM_DOWNLOAD_RETRIES !== '' ? Number(env.CM_DOWNLOAD_RETRIES) : 3;
  const wait = env.CM_DOWNLOAD_RETRY_WAIT !== undefined && env.CM_DOWNLOAD_RETRY_WAIT !== '' ? Number(env.CM_DOWNLOAD_RETRY_WAIT) : 1;
  if (!Number.isInteger(retries) || retries < 0) return { return: 1, error: `--retries must be a whole number >= 0 (found "${env.CM_DOWNLOAD_RETRIES}")` };
  if (!(wait >= 0)) return { return: 1, error: `--retry_wait must be seconds >= 0 (found "${env.CM_DOWNLOAD_RETRY_WAIT}")` };

  // A file:// URL naming the target itself: the user's file, used as it is and never removed.
  const source = urls.some((u) => u.startsWith('file:') && resolve(decodeURIComponent(new URL(u).pathname)) === file);
  if (source) {
    env.CM_TMP_DOWNLOAD_USER_FILE = 'yes';
    log.info(`${file} is the file the URL names: using it as it is`);
    return { return: 0 };
  }
  // A file already there with the right checksum is not fetched again. One with another checksum
  // stays until a verified download replaces it.
  if (existsSync(file) && sum) {
    if ((await digest(file, sum.algorithm)) === sum.hex) {
      log.info(`${file} is already there and its ${sum.algorithm} matches: not downloading it again`);
      return { return: 0 };
    }
    log.warning(`${file} is already there but its ${sum.algorithm} does not match: downloading it again (it is replaced once the new one is verified)`);
  }

  if (tool === 'cmutil' || urls[0].startsWith('file:')) {
    const r = await i.automation.cmind.access({
      action: 'download_file',
      automation: 'utils,dc2743f8450541e3',
      url: urls[0],
      mirrors: urls.slice(1),
      path: dir,
      filename: basename(file),
      verify: verify ? 'yes' : 'no',
      retries,
      retry_wait: wait,
      ...(sum ? (sum.algorithm === 'md5' ? { md5sum: sum.hex } : { sha256: sum.hex }) : {}),
    });
    if (r.return > 0) return r;
    return { return: 0 };
  }
  const extra = env.CM_DOWNLOAD_EXTRA_OPTIONS ? ` ${env.CM_DOWNLOAD_EXTRA_OPTIONS}` : '';
  // The tools write FILE.part (resumed by wget -c / curl -C -); postprocess checks it and only
  // then renames it to FILE.
  const part = `${file}.part`;
  env.CM_TMP_DOWNLOAD_PART = part;
  // As for CM's downloader, PART.json says which URL the partial file came from: another's is
  // not resumed. A mirror's command drops both, so its bytes are never resumed from the URL.
  const mark = `${part}.json`;
  let from;
  try {
    from = JSON.parse(readFileSync(mark, 'utf8')).url;
  } catch {
    from = undefined;
  }
  if (existsSync(part) && from !== urls[0]) rmSync(part, { force: true });
  writeFileSync(mark, JSON.stringify({ url: urls[0] }));
  const one = {
    wget: (u) => `wget -c --tries=${retries + 1} --waitretry=${Math.ceil(wait)}${verify ? '' : ' --no-check-certificate'}${extra} -O ${sq(part)} ${sq(u)}`,
    curl: (u) => `curl -fL --retry ${retries} --retry-all-errors --retry-delay ${Math.ceil(wait)} -C -${verify ? '' : ' -k'}${extra} -o ${sq(part)} ${sq(u)}`,
    gdown: (u) => `gdown${verify ? '' : ' --no-check-certificate'}${extra} -O ${sq(part)} ${sq(u)}`,
    rclone: (u) => `rclone copyto ${sq(u)} ${sq(part)} -P --error-on-no-transfer`,
  }[tool];
  if (!one) return { return: 1, error: `unknown download tool "${tool}": use _cmutil, _wget, _curl, _gdown or _rclone` };
  if (tool === 'rclone' && env.CM_RCLONE_CONFIG_CMD) env.CM_DOWNLOAD_CONFIG_CMD = env.CM_RCLONE_CONFIG_CMD;
  // Each mirror starts from scratch: a partial file from another server is not resumed.
  env.CM_DOWNLOAD_CMD = urls.map((u, n) => (n === 0 ? one(u) : `(rm -f ${sq(part)} ${sq(mark)}; ${one(u)})`)).join(' || ');
  return { return: 0 };
}

export async function postprocess(i) {
  const env = i.env;
  let file = String(env.CM_DOWNLOAD_DOWNLOADED_PATH ?? '');
  const sum = checksumOf(env);
  // A file the user gave (--local_path, or the file:// URL itself) is never removed or moved.
  const userFile = Boolean(env.CM_DOWNLOAD_LOCAL_FILE_PATH) || env.CM_TMP_DOWNLOAD_USER_FILE === 'yes';
  const part = env.CM_TMP_DOWNLOAD_PART ? String(env.CM_TMP_DOWNLOAD_PART) : '';
  if (part) rmSync(`${part}.json`, { force: true });
  if (part && existsSync(part)) {
    if (sum) {
      const got = await digest(part, sum.algorithm);
      if (got !== sum.hex) {
        rmSync(part, { force: true });
        return { return: 1, error: `${sum.algorithm} checksum mismatch for ${file}: expected ${sum.hex}, got ${got} (the download was removed)` };
      }
    }
    renameSync(part, file);
  }
  if (!file || !existsSync(file) || !statSync(file).isFile())
    return { return: 1, error: `the download did not produce ${file || 'a file'}; check the URL (or name the file with --output_file=NAME)` };
  if (sum && !part) {
    const got = await digest(file, sum.algorithm);
    if (got !== sum.hex) {
      if (!userFile) rmSync(file, { force: true });
      return {
        return: 1,
        error: `${sum.algorithm} checksum mismatch for ${file}: expected ${sum.hex}, got ${got}${userFile ? ' (your file is left as it is)' : ' (the file was removed)'}`,
      };
    }
  }
  if (env.CM_DOWNLOAD_RENAME_FILE) {
    const renamed = join(dirname(file), String(env.CM_DOWNLOAD_RENAME_FILE));
    if (userFile) copyFileSync(file, renamed);
    else renameSync(file, renamed);
    file = renamed;
    env.CM_DOWNLOAD_DOWNLOADED_PATH = file;
  }
  if (env.CM_DOWNLOAD_FINAL_ENV_NAME) env[env.CM_DOWNLOAD_FINAL_ENV_NAME] = file;
  env.CM_GET_DEPENDENT_CACHED_PATH = file;
  return { return: 0 };
}
