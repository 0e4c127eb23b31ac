// The `utils` automation (uid dc2743f8450541e3): helpers that published script hooks call through
// cmind.access — download_file (13 calls in the catalogs), unzip_file (6), system (3), uid.
import {
  chmodSync,
  copyFileSync,
  createWriteStream,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import { genUid } from '../../core/uid.js';
import type { ActionTable } from '../action.js';
import type { CmContext } from '../context.js';
import { importModule } from '../import-module.js';
import { bool, str } from '../input.js';

/** Where a download goes: `path` (a folder, default the working folder) and `filename`. */
function target(input: Dict, ctx: CmContext, url: URL): string {
  const name = str(input, 'filename') || decodeURIComponent(basename(url.pathname));
  if (name === '' || name === '.' || name === '..' || name.includes('/'))
    throw new CmError('bad-input', `download_file: cannot name a file after ${url.href}`, {
      hint: 'give --filename=NAME',
    });
  const dir = str(input, 'path') || ctx.cwd;
  return join(resolve(ctx.cwd, dir), name);
}

/** GET `url` into `file` (through `file`.part, renamed at the end), following redirects. */
async function fetchTo(
  url: URL,
  file: string,
  verify: boolean,
  emit: CmContext['emit'],
): Promise<number> {
  const part = `${file}.part-${process.pid}`;
  mkdirSync(dirname(file), { recursive: true });
  try {
    let size: number;
    if (url.protocol === 'file:') {
      copyFileSync(url, part);
      size = statSync(part).size;
    } else if (url.protocol === 'http:' || url.protocol === 'https:') {
      size = await httpGet(url, part, verify, emit, 10);
    } else {
      throw new CmError('bad-input', `download_file: unsupported URL scheme ${url.protocol}`, {
        hint: 'use http://, https:// or file://',
      });
    }
    renameSync(part, file);
    return size;
  } catch (e) {
    rmSync(part, { force: true });
    if (e instanceof CmError) throw e;
    throw new CmError(
      'download-failed',
      `download of ${url.href} failed: ${(e as Error).message}`,
      {
        details: { url: url.href },
      },
    );
  }
}

async function httpGet(
  url: URL,
  part: string,
  verify: boolean,
  emit: CmContext['emit'],
  redirects: number,
): Promise<number> {
  const mod = (await importModule(url.protocol === 'https:' ? 'node:https' : 'node:http')) as
    typeof import('node:https') | typeof import('node:http');
  return new Promise<number>((resolvePromise, reject) => {
    const req = mod.get(url, verify ? {} : { rejectUnauthorized: false }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        if (redirects <= 0) {
          reject(new Error('too many redirects'));
          return;
        }
        const next = new URL(location, url);
        emit({ type: 'debug', namespace: 'utils', text: `redirected to ${next.href}` });
        httpGet(next, part, verify, emit, redirects - 1).then(resolvePromise, reject);
        return;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        reject(new Error(`HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      const expected = Number(res.headers['content-length'] ?? -1);
      let got = 0;
      const out = createWriteStream(part);
      res.on('data', (chunk: Buffer) => (got += chunk.length));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error(`connection closed after ${got} bytes`)));
      out.on('error', reject);
      out.on('finish', () => {
        if (expected >= 0 && got !== expected)
          reject(new Error(`connection closed after ${got} of ${expected} bytes`));
        else resolvePromise(got);
      });
      res.pipe(out);
    });
    req.on('error', reject);
  });
}

/** Name, unix mode (0 when unknown) of every entry, from the zip's central directory. */
function zipModes(buf: Uint8Array): Map<string, number> {
  const modes = new Map<string, number>();
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 65_557); p--) {
    if (view.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) return modes;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  for (let k = 0; k < count && p + 46 <= buf.length; k++) {
    if (view.getUint32(p, true) !== 0x02014b50) break;
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const external = view.getUint32(p + 38, true);
    const name = decoder.decode(buf.subarray(p + 46, p + 46 + nameLen));
    modes.set(name, external >>> 16);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return modes;
}

export const actions: ActionTable = {
  download_file: {
    summary: 'download a URL (http, https, file) into a folder',
    usage: 'cm download_file utils --url=URL [--path=DIR] [--filename=NAME] [--verify=no]',
    flags: [
      ['--url=URL', 'what to download'],
      ['--path=DIR', 'the folder to put it in (default: the working folder)'],
      ['--filename=NAME', 'the file name (default: the last part of the URL)'],
      ['--verify=no', 'do not check the TLS certificate'],
    ],
    async run(input, ctx) {
      const raw = str(input, 'url');
      if (!raw) throw new CmError('bad-input', 'download_file needs --url=URL');
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new CmError('bad-input', `download_file: "${raw}" is not a URL`, {
          hint: 'for example --url=https://host/file.tar.gz or --url=file:///path/file',
        });
      }
      const file = target(input, ctx, url);
      const envVerify =
        ctx.env['CM_UTILS_DOWNLOAD_VERIFY_SSL'] ?? ctx.env['MLC_UTILS_DOWNLOAD_VERIFY_SSL'];
      const verify =
        envVerify !== undefined
          ? envVerify === 'yes'
          : input['verify'] === undefined || bool(input, 'verify');
      ctx.emit({ type: 'info', text: `Downloading ${url.href} to ${file}` });
      const size = await fetchTo(url, file, verify, ctx.emit);
      ctx.emit({ type: 'info', text: `Downloaded ${size} bytes` });
      return { filename: basename(file), path: file, size };
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
      const file = resolve(ctx.cwd, name);
      let buf: Uint8Array;
      try {
        buf = readFileSync(file);
      } catch {
        throw new CmError('bad-input', `file ${file} not found`);
      }
      const { unzipSync } = (await importModule('fflate')) as typeof import('fflate');
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(buf);
      } catch (e) {
        throw new CmError(
          'bad-input',
          `${file} is not a readable zip archive: ${(e as Error).message}`,
        );
      }
      const modes = zipModes(buf);
      const root = resolve(ctx.cwd, str(input, 'path') || '.');
      const strip = Number(input['strip_folders'] ?? 0) || 0;
      // Check every entry before writing anything: a bad archive leaves nothing half unpacked.
      const plan: Array<{ out: string; data: Uint8Array; dir: boolean; mode: number }> = [];
      for (const [entry, data] of Object.entries(entries)) {
        const rel = entry.split('/').slice(strip).join('/');
        if (rel === '') continue;
        const out = normalize(join(root, rel));
        if (isAbsolute(entry) || entry.startsWith('\\') || !(out + sep).startsWith(root + sep))
          throw new CmError(
            'archive-failed',
            `${file}: entry "${entry}" would be written outside ${root}`,
            {
              hint: 'the archive is refused as a whole; nothing was unpacked',
            },
          );
        plan.push({ out, data, dir: entry.endsWith('/'), mode: modes.get(entry) ?? 0 });
      }
      for (const p of plan) {
        if (p.dir) {
          mkdirSync(p.out, { recursive: true });
          continue;
        }
        mkdirSync(dirname(p.out), { recursive: true });
        const w = createWriteStream(p.out);
        await new Promise<void>((ok, fail) => {
          w.on('error', fail);
          w.end(p.data, ok);
        });
        if ((p.mode & 0o777) !== 0) chmodSync(p.out, p.mode & 0o777);
      }
      return { path: root, files: plan.filter((p) => !p.dir).length };
    },
  },
  system: {
    summary: 'run a shell command and return its exit status and output',
    usage: 'cm system utils --cmd="COMMAND" [--path=DIR]',
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
    run(_input, ctx) {
      const uid = genUid();
      ctx.emit({ type: 'output', text: uid });
      return { uid };
    },
  },
};
