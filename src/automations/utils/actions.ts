// The `utils` automation (uid dc2743f8450541e3): helpers that published script hooks call through
// cmind.access — download_file (13 calls in the catalogs), unzip_file (6), system (3), uid — and
// extract_file (ours: every archive format the extract-file script handles).
import { basename, join, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import { genUid } from '../../db/uid.js';
import type { ActionTable } from '../action.js';
import type { CmContext } from '../context.js';
import { importModule } from '../import-module.js';
import { str } from '../input.js';
import { download, parseChecksum, shownUrl } from './download.js';
import { extractArchive, type ArchiveFormat } from './archive.js';
import { unzipFile } from './unzip.js';

function stripOf(input: Dict): number {
  const raw = input['strip_folders'] ?? 0;
  const strip = raw === '' ? 0 : Number(raw);
  if (!Number.isInteger(strip) || strip < 0)
    throw new CmError(
      'bad-input',
      `strip_folders must be 0 or more (found ${JSON.stringify(raw)})`,
    );
  return strip;
}

function parseUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new CmError('bad-input', `download_file: "${raw}" is not a URL`, {
      hint: 'for example --url=https://host/file.tar.gz or --url=file:///path/file',
    });
  }
}

/** --mirrors as a list, or one string of URLs separated by spaces. */
function mirrorList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter((x) => x !== '');
  if (typeof v === 'string') return v.split(/\s+/).filter((x) => x !== '');
  return [];
}

/** Seconds without a byte before a download is given up (--timeout, default 60). */
const IDLE_SECONDS = 60;

/**
 * A number flag (--timeout, --retries, --retry_wait): absent or '' gives `dflt`; anything else
 * must be a number >= 0 (> 0 when `positive`, whole when `integer`).
 */
function numberOf(
  input: Dict,
  key: string,
  o: { dflt: number; positive?: boolean; integer?: boolean },
): number {
  const raw = input[key];
  if (raw === undefined || raw === '' || raw === null) return o.dflt;
  const n = typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : NaN;
  const ok =
    Number.isFinite(n) && (o.positive ? n > 0 : n >= 0) && (!o.integer || Number.isInteger(n));
  if (!ok) {
    const what = o.integer ? 'a whole number >= 0' : `seconds ${o.positive ? '> 0' : '>= 0'}`;
    throw new CmError(
      'bad-input',
      `download_file: --${key} must be ${what} (found ${JSON.stringify(raw)})`,
      {
        hint: `for example --${key}=${o.dflt} (the default)`,
      },
    );
  }
  return n;
}

/** Where a download goes: `path` (a folder, default the working folder) and `filename`. */
function target(input: Dict, ctx: CmContext, url: URL): string {
  let name = str(input, 'filename') ?? '';
  if (name === '') {
    try {
      name = decodeURIComponent(basename(url.pathname));
    } catch {
      name = basename(url.pathname);
    }
  }
  if (name === '' || name === '.' || name === '..' || name.includes('/'))
    throw new CmError('bad-input', `download_file: cannot name a file after ${shownUrl(url)}`, {
      hint: 'give --filename=NAME',
    });
  const dir = str(input, 'path') || ctx.cwd;
  return join(resolve(ctx.cwd, dir), name);
}

export const actions: ActionTable = {
  download_file: {
    summary:
      'download a URL (http, https, file) into a folder, with mirrors, retries, resume and a checksum',
    usage:
      'cm download_file utils --url=URL [--path=DIR] [--filename=NAME] [--md5sum=HEX|--sha256=HEX] [--mirrors,=URL2,URL3]',
    flags: [
      ['--url=URL', 'what to download'],
      ['--path=DIR', 'the folder to put it in (default: the working folder)'],
      ['--filename=NAME', 'the file name (default: the last part of the URL)'],
      ['--md5sum=HEX / --sha256=HEX', 'check the file; a mismatch removes it and is an error'],
      ['--checksum=HEX', 'the same as --md5sum'],
      ['--mirrors,=URL2,URL3', 'other URLs of the same file, tried in order when one fails'],
      ['--retries=N', 'attempts after a network failure, per URL (default 3)'],
      ['--retry_wait=SECONDS', 'wait before the first retry, doubled each time (default 1)'],
      ['--verify=no', 'do not check the TLS certificate'],
      ['--timeout=SECONDS', 'give up a connection after this long without data (default 60)'],
    ],
    async run(input, ctx) {
      const raw = str(input, 'url');
      if (!raw) throw new CmError('bad-input', 'download_file needs --url=URL');
      const urls = [raw, ...mirrorList(input['mirrors'])].map(parseUrl);
      const file = target(input, ctx, urls[0]!);
      const envVerify =
        ctx.env['CM_UTILS_DOWNLOAD_VERIFY_SSL'] ?? ctx.env['MLC_UTILS_DOWNLOAD_VERIFY_SSL'];
      // Only an explicit no/false turns the check off (None or '' from a hook keep it on).
      const v = input['verify'];
      const verify =
        envVerify !== undefined
          ? envVerify === 'yes'
          : !(v === false || (typeof v === 'string' && ['no', 'false', 'off', '0'].includes(v)));
      const sha = str(input, 'sha256');
      const md5 = str(input, 'md5sum') ?? str(input, 'checksum');
      const checksum = sha ? parseChecksum(sha, 'sha256') : md5 ? parseChecksum(md5) : undefined;
      const idleMs = numberOf(input, 'timeout', { dflt: IDLE_SECONDS, positive: true }) * 1000;
      const retries = numberOf(input, 'retries', { dflt: 3, integer: true });
      const retryWaitMs = numberOf(input, 'retry_wait', { dflt: 1 }) * 1000;
      ctx.emit({ type: 'info', text: `Downloading ${shownUrl(urls[0]!)} to ${file}` });
      const t0 = Date.now();
      const r = await download({
        urls,
        file,
        checksum,
        verify,
        idleMs,
        retries,
        retryWaitMs,
        store: ctx.paths.downloadStore,
        emit: ctx.emit,
      });
      const s = (Date.now() - t0) / 1000;
      ctx.emit({
        type: 'info',
        text: `${r.fromStore ? 'Copied' : 'Downloaded'} ${r.size} bytes in ${s.toFixed(1)} s${r.resumedFrom ? ` (resumed at byte ${r.resumedFrom})` : ''}${r.checksum ? `; ${checksum!.algorithm} ok` : ''}`,
      });
      return {
        filename: basename(file),
        path: file,
        size: r.size,
        url: r.url,
        resumed_from: r.resumedFrom,
        ...(r.checksum ? { [checksum!.algorithm]: r.checksum } : {}),
        ...(r.fromStore ? { from_store: r.fromStore } : {}),
      };
    },
  },
  unzip_file: {
    summary: 'unpack a zip archive into a folder (entries that would land outside it are refused)',
    usage: 'cm unzip_file utils --filename=FILE.zip [--path=DIR] [--strip_folders=N]',
    flags: [
      ['--filename=FILE', 'the archive'],
      ['--path=DIR', 'where to unpack (default: the working folder)'],
      ['--strip_folders=N', 'drop the first N folders of every entry'],
    ],
    async run(input, ctx) {
      const name = str(input, 'filename');
      if (!name) throw new CmError('bad-input', 'unzip_file needs --filename=FILE.zip');
      const root = resolve(ctx.cwd, str(input, 'path') || '.');
      const files = await unzipFile(resolve(ctx.cwd, name), root, stripOf(input));
      return { path: root, files };
    },
  },
  extract_file: {
    summary:
      'unpack zip, tar, tar.gz, tar.bz2, tar.xz, gz, bz2 or xz into a folder (entries escaping it are refused)',
    usage:
      'cm extract_file utils --filename=FILE [--path=DIR] [--strip_folders=N] [--format=tar.gz]',
    flags: [
      ['--filename=FILE', 'the archive'],
      ['--path=DIR', 'where to unpack (default: the working folder)'],
      ['--strip_folders=N', 'drop the first N folders of every entry'],
      ['--format=F', 'zip, tar, tar.gz, tar.bz2, tar.xz, gz, bz2 or xz (default: from the name)'],
      ['--out_name=NAME', 'for a single .gz/.bz2/.xz file: the name of the unpacked file'],
    ],
    async run(input, ctx) {
      const name = str(input, 'filename');
      if (!name) throw new CmError('bad-input', 'extract_file needs --filename=ARCHIVE');
      const format = str(input, 'format');
      const formats = ['zip', 'tar', 'tar.gz', 'tar.bz2', 'tar.xz', 'gz', 'bz2', 'xz'];
      if (format && !formats.includes(format))
        throw new CmError('bad-input', `unknown archive format "${format}"`, {
          hint: `use one of ${formats.join(', ')}`,
        });
      const r = await extractArchive({
        file: resolve(ctx.cwd, name),
        root: resolve(ctx.cwd, str(input, 'path') || '.'),
        strip: stripOf(input),
        format: format as ArchiveFormat | undefined,
        outName: str(input, 'out_name'),
        emit: ctx.emit,
      });
      return { ...r };
    },
  },
  system: {
    summary: 'run a shell command and return its exit status and output',
    usage: 'cm system utils --cmd="COMMAND" [--path=DIR]',
    flags: [
      ['--cmd=COMMAND', 'the shell command'],
      ['--path=DIR', 'where to run it (default: the working folder)'],
    ],
    async run(input, ctx) {
      const cmd = str(input, 'cmd');
      if (!cmd) throw new CmError('bad-input', 'cmd is empty', { hint: 'give --cmd="..."' });
      const { spawn } = (await importModule(
        'node:child_process',
      )) as typeof import('node:child_process');
      const cwd = resolve(ctx.cwd, str(input, 'path') || '.');
      const { code, stdout, stderr } = await new Promise<{
        code: number;
        stdout: string;
        stderr: string;
      }>((ok, fail) => {
        const child = spawn('/bin/sh', ['-c', cmd], {
          cwd,
          env: ctx.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
        child.on('error', fail);
        child.on('close', (c) => ok({ code: c ?? 1, stdout: out.trim(), stderr: err.trim() }));
      });
      const std = [stdout, stderr].filter((x) => x !== '').join('\n');
      return { ret: code, std, stdout, stderr };
    },
  },
  uid: {
    summary: 'print a new 16-hex uid',
    flags: [],
    run(_input, ctx) {
      const uid = genUid();
      ctx.emit({ type: 'output', text: uid });
      return { uid };
    },
  },
};
