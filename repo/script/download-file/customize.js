// download-file: CM's own downloader (_cmutil, default) runs here through `cm download_file utils`;
// _wget/_curl/_gdown/_rclone get a command for run.sh. postprocess checks the result.
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const sq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Seconds without data before a download is given up: the default of `cm download_file utils`. */
const TIMEOUT_DEFAULT = 60;

/**
 * --timeout, --retries and --retry_wait, checked: one policy for every tool (CM's downloader and
 * the options each external tool gets). Returns { error } for a bad value.
 */
function policyOf(env) {
  const given = (k) => env[k] !== undefined && env[k] !== null && env[k] !== '';
  const timeout = given('CM_DOWNLOAD_TIMEOUT') ? Number(env.CM_DOWNLOAD_TIMEOUT) : TIMEOUT_DEFAULT;
  const retries = given('CM_DOWNLOAD_RETRIES') ? Number(env.CM_DOWNLOAD_RETRIES) : 3;
  const wait = given('CM_DOWNLOAD_RETRY_WAIT') ? Number(env.CM_DOWNLOAD_RETRY_WAIT) : 1;
  if (!(Number.isFinite(timeout) && timeout > 0))
    return { error: `--timeout must be seconds > 0 without data before a download is given up (found "${env.CM_DOWNLOAD_TIMEOUT}")`, hint: `for example --timeout=${TIMEOUT_DEFAULT} (the default)` };
  if (!Number.isInteger(retries) || retries < 0) return { error: `--retries must be a whole number >= 0 (found "${env.CM_DOWNLOAD_RETRIES}")`, hint: 'for example --retries=3 (the default)' };
  if (!(Number.isFinite(wait) && wait >= 0)) return { error: `--retry_wait must be seconds >= 0 (found "${env.CM_DOWNLOAD_RETRY_WAIT}")`, hint: 'for example --retry_wait=1 (the default)' };
  return { timeout, retries, wait };
}

/** A URL as printed: its password (or a user name alone, often a token) becomes ***. */
function shown(url) {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    if (u.password !== '') u.password = '***';
    else u.username = '***';
    return u.href;
  } catch {
    return url;
  }
}

/**
 * The command of one external tool for one URL, with the policy translated into its options.
 * wget: --timeout sets its connect, DNS and read (idle) timeouts; --tries counts the first
 *   attempt; --waitretry waits 1, 2, ... seconds up to its value (linear, not doubling), so it
 *   gets our longest wait; -c resumes the .part, also between its own attempts.
 * curl: a stall is less than 1 byte/s for --speed-time seconds (curl averages its speed over a few
 *   seconds, so it notices a stall a little later); its default retry wait doubles from 1 s, as
 *   ours does from --retry_wait=1, and --retry-delay is a fixed wait (0 means its default);
 *   --retry-all-errors retries a cut connection (and, unlike ours, a 4xx answer); -C - resumes
 *   the .part of an earlier run (its own retries restart where the run started).
 * gdown has no timeout or retry options: the retries are ours (a shell chain), and a stalled
 *   gdown waits until it is stopped.
 * rclone: --timeout is its idle timeout, --contimeout the connect one; --retries counts the first
 *   attempt, with a fixed --retries-sleep; it does not resume.
 */
function toolCommand(tool, url, part, o) {
  const t = o.timeout;
  const longestWait = o.retries > 0 ? o.wait * 2 ** (o.retries - 1) : 0;
  const tls = (flag) => (o.verify ? '' : ` ${flag}`);
  switch (tool) {
    case 'wget':
      return `wget -c --timeout=${t} --tries=${o.retries + 1} --waitretry=${Math.ceil(longestWait)} --retry-connrefused --retry-on-http-error=429,500,502,503,504${tls('--no-check-certificate')}${o.extra} -O ${sq(part)} ${sq(url)}`;
    case 'curl':
      return `curl -fL --connect-timeout ${t} --speed-limit 1 --speed-time ${Math.ceil(t)} --retry ${o.retries}${o.wait > 1 ? ` --retry-delay ${Math.ceil(o.wait)}` : ''} --retry-all-errors -C -${tls('-k')}${o.extra} -o ${sq(part)} ${sq(url)}`;
    case 'gdown': {
      const one = `gdown${tls('--no-check-certificate')}${o.extra} -O ${sq(part)} ${sq(url)}`;
      let chain = one;
      for (let n = 0; n < o.retries; n++) {
        const w = o.wait * 2 ** n;
        chain += ` || { echo ${sq(`gdown failed; retry ${n + 1}/${o.retries} in ${w} s`)} >&2; sleep ${w}; ${one}; }`;
      }
      return o.retries > 0 ? `{ ${chain}; }` : one;
    }
    case 'rclone':
      return `rclone copyto ${sq(url)} ${sq(part)} -P --error-on-no-transfer --timeout=${t}s --contimeout=${t}s --retries=${o.retries + 1} --retries-sleep=${o.wait}s --low-level-retries=1${o.extra}`;
    default:
      return undefined;
  }
}

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
  const policy = policyOf(env);
  if (policy.error) return { return: 1, error: policy.error, hint: policy.hint };
  const { timeout, retries, wait } = policy;
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
      timeout,
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
  const o = { timeout, retries, wait, verify, extra };
  if (!toolCommand(tool, urls[0], part, o)) return { return: 1, error: `unknown download tool "${tool}": use _cmutil, _wget, _curl, _gdown or _rclone` };
  if (tool === 'rclone' && env.CM_RCLONE_CONFIG_CMD) env.CM_DOWNLOAD_CONFIG_CMD = env.CM_RCLONE_CONFIG_CMD;
  // Each mirror starts from scratch: a partial file from another server is not resumed.
  const chain = (show) => urls.map((u, n) => {
    const one = toolCommand(tool, show(u), part, o);
    return n === 0 ? one : `(rm -f ${sq(part)} ${sq(mark)}; ${one})`;
  }).join(' || ');
  env.CM_DOWNLOAD_CMD = chain((u) => u);
  // run.sh prints this one: no password in the log.
  env.CM_DOWNLOAD_CMD_SHOWN = chain(shown);
  return { return: 0 };
}

/** What an exit status of wget or curl means (the common ones of their manuals' lists); undefined for a stall. */
function meaningOf(tool, status, said) {
  if (tool === 'wget') {
    if (status === 4 && /timed out/i.test(said)) return undefined;
    return {
      2: 'wget did not accept its options (see --env.CM_DOWNLOAD_EXTRA_OPTIONS)',
      3: 'wget could not write the file',
      4: 'a network failure: the server could not be reached or closed the connection',
      5: 'the TLS certificate could not be verified (--verify=no skips the check)',
      6: 'the server refused the user name or password',
      7: 'a protocol error',
      8: 'the server answered with an error',
    }[status] ?? 'wget failed';
  }
  if (tool === 'curl') {
    if (status === 28) return undefined;
    return {
      6: 'the host name could not be resolved',
      7: 'the server could not be reached',
      18: 'the server closed the connection before the end of the file',
      22: 'the server answered with an error',
      33: 'the server cannot resume the partial file (it was removed: running again starts over)',
      35: 'the TLS handshake failed',
      52: 'the server sent nothing back',
      56: 'the connection broke while receiving',
      60: 'the TLS certificate could not be verified (--verify=no skips the check)',
    }[status] ?? 'curl failed';
  }
  return `${tool} failed`;
}

/**
 * A failed external tool, said as CM's downloader says it: the URL (password masked), what went
 * wrong, the partial file kept for the next run (or dropped, when it cannot be resumed) and the
 * flags that change the policy.
 */
function toolFailed(env, part, status, said) {
  const tool = String(env.CM_DOWNLOAD_TOOL);
  const urls = urlsOf(env).filter(Boolean);
  const policy = policyOf(env);
  const meaning = meaningOf(tool, status, said);
  const stalled = meaning === undefined;
  const attempts = `${policy.retries + 1} attempt${policy.retries > 0 ? 's' : ''}`;
  const text = stalled ? `the server stalled: no data for ${policy.timeout} s (timed out; ${attempts})` : meaning;
  // The tool's own last words about it (the line with its error, without wget's time stamp).
  const last = said
    .split(/[\r\n]+/)
    .map((l) =>
      l
        .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\([^)]*\) )?- /, '')
        .replace(/^.*\.\.\. /, '')
        .replace(/\s*(Giving up|Retrying)\.$/, '')
        .trim(),
    )
    .filter((l) => /error|fail|timed out|too slow|curl: \(\d+\)/i.test(l))
    .pop()
    ?.replace(/\/\/[^/\s@]*@/g, '//***@');
  const where = `${shown(urls[0])}${urls.length > 1 ? ` (and mirrors ${urls.slice(1).map(shown).join(', ')})` : ''}`;
  const error = `download of ${where} with ${tool} failed: ${text}; ${tool} exit status ${status}${last ? ` (${last})` : ''}`;
  // Only a part with bytes of the first URL (PART.json names it) is resumed by the next run.
  const mark = `${part}.json`;
  const bytes = existsSync(part) ? statSync(part).size : 0;
  const resumable = bytes > 0 && existsSync(mark) && ['wget', 'curl'].includes(tool) && !(tool === 'curl' && status === 33);
  if (!resumable) {
    rmSync(part, { force: true });
    rmSync(mark, { force: true });
  }
  const hints = [];
  if (resumable) hints.push(`${bytes} bytes are kept in ${part}; running the same command again resumes (from the same URL, which ${mark} keeps); to start over, delete ${part} and ${mark}`);
  if (stalled) hints.push(`the server stalled: allow it more seconds without data with --timeout=SECONDS (now ${policy.timeout}) or more attempts with --retries=N (now ${policy.retries})`);
  else if (tool === 'curl' && status === 33) hints.push('running the same command again downloads the file from the start');
  else if (!resumable) hints.push('check the URL (and --verify=no for a self-signed certificate); add mirrors with --mirrors,=URL2,URL3; _cmutil (the default tool) says more about a failure');
  return { return: 1, error, hint: hints.join('\n') };
}

export async function postprocess(i) {
  const env = i.env;
  let file = String(env.CM_DOWNLOAD_DOWNLOADED_PATH ?? '');
  const sum = checksumOf(env);
  // A file the user gave (--local_path, or the file:// URL itself) is never removed or moved.
  const userFile = Boolean(env.CM_DOWNLOAD_LOCAL_FILE_PATH) || env.CM_TMP_DOWNLOAD_USER_FILE === 'yes';
  const part = env.CM_TMP_DOWNLOAD_PART ? String(env.CM_TMP_DOWNLOAD_PART) : '';
  if (part) {
    const log = `${part}.log`;
    const status = Number(env.CM_TMP_DOWNLOAD_TOOL_STATUS ?? 0);
    const said = existsSync(log) ? readFileSync(log, 'utf8') : '';
    rmSync(log, { force: true });
    if (status !== 0) return toolFailed(env, part, status, said);
    rmSync(`${part}.json`, { force: true });
  }
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
