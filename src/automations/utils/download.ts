// Downloads for `cm download_file utils` and the download-file script: http(s) and file:// URLs,
// mirrors, retries with backoff, resume of a partial file (HTTP Range), md5/sha256 checks and
// progress events. A finished file appears only under its final name; a bad one is removed.
// Before any network access it looks in the download store (db/download-store.ts).
import { createHash } from 'node:crypto';
import {
  constants,
  copyFileSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { basename, dirname } from 'node:path';
import { CmError } from '../../core/errors.js';
import { maskUrlUserinfo } from '../../core/secrets.js';
import { findStoredDownload } from '../../db/download-store.js';
import { tokenPid, tryAcquireLock } from '../../db/lock.js';
import type { EventSink } from '../../core/events.js';
import { importModule } from '../import-module.js';
import { progressTask } from './progress.js';

export interface Checksum {
  algorithm: 'md5' | 'sha256';
  hex: string;
}

export interface DownloadOptions {
  /** The URL, then its mirrors, tried in order. */
  urls: URL[];
  /** The final file. */
  file: string;
  checksum?: Checksum;
  /** Check TLS certificates (default on). */
  verify: boolean;
  /** Give up on a connection after this long without data. */
  idleMs: number;
  /** Further attempts per URL after a network failure (default 3). */
  retries: number;
  /** Wait before the first retry; doubles for each next one (default 1000). */
  retryWaitMs: number;
  /** The download store to take the file from, before any network access, when it holds it. */
  store?: string | undefined;
  emit: EventSink;
}

export interface DownloadResult {
  file: string;
  size: number;
  url: string;
  /** Bytes that an earlier, cut download had already fetched. */
  resumedFrom: number;
  checksum?: string | undefined;
  /** The stored file it was copied from, when the download store had it. */
  fromStore?: string;
}

/** A URL as printed: its userinfo (a password, or a token standing as the user) becomes `***`. */
export function shownUrl(url: URL): string {
  return maskUrlUserinfo(url.href);
}

/** md5 (32 hex digits) or sha256 (64), optionally written "sha256:HEX" or "md5:HEX". */
export function parseChecksum(text: string, algorithm?: 'md5' | 'sha256'): Checksum {
  const m = /^(?:(md5|sha256)[:=])?([0-9a-fA-F]+)$/.exec(text.trim());
  const algo = m?.[1] ?? algorithm ?? (m?.[2]?.length === 64 ? 'sha256' : 'md5');
  const want = algo === 'md5' ? 32 : 64;
  if (!m || m[2]!.length !== want)
    throw new CmError('bad-input', `"${text}" is not a ${algo} checksum (${want} hex digits)`, {
      hint: 'give --md5sum=32 hex digits, or --sha256=64 hex digits',
    });
  return { algorithm: algo as Checksum['algorithm'], hex: m[2]!.toLowerCase() };
}

export async function fileDigest(file: string, algorithm: Checksum['algorithm']): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A failure worth another attempt at the same URL (the network, a timeout, a 5xx answer). */
class Transient extends Error {}

/** The server sent nothing for idleMs (while connecting, before the headers or mid-body). */
class Stalled extends Transient {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Where a partial file came from: a cut download resumes only from the same URL and version. */
interface PartInfo {
  url: string;
  /** ETag or Last-Modified of the response that started it (sent back as If-Range). */
  validator?: string | undefined;
}

function readPartInfo(part: string): PartInfo | undefined {
  try {
    const j = JSON.parse(readFileSync(`${part}.json`, 'utf8')) as PartInfo;
    return typeof j.url === 'string' ? j : undefined;
  } catch {
    return undefined;
  }
}

function dropPart(part: string): void {
  rmSync(part, { force: true });
  rmSync(`${part}.json`, { force: true });
}

/**
 * Download into `file` (through `file`.part, kept between attempts and runs so that a cut
 * download resumes; `file`.part.json says from which URL and version). One download at a time per
 * file: `file`.part.lock holds the owner's pid and start time.
 */
export async function download(o: DownloadOptions): Promise<DownloadResult> {
  const part = `${o.file}.part`;
  mkdirSync(dirname(o.file), { recursive: true });
  const release = takeLock(`${part}.lock`, o.file);
  const failures: string[] = [];
  let stalled = false;
  try {
    const stored = o.store === undefined ? undefined : await fromStore(o, o.store, part);
    if (stored) return stored;
    for (const [n, url] of o.urls.entries()) {
      for (let attempt = 0; ; attempt++) {
        try {
          // Another URL's (or an unknown) partial file is never glued to this one's bytes.
          if (partSize(part) > 0 && readPartInfo(part)?.url !== url.href) dropPart(part);
          let resumedFrom = 0;
          if (url.protocol === 'file:') {
            dropPart(part);
            copyFileSync(url, part);
          } else if (url.protocol === 'http:' || url.protocol === 'https:')
            resumedFrom = await httpGet(url, url, part, o, 10);
          else
            throw new CmError('bad-input', `unsupported URL scheme ${url.protocol}`, {
              hint: 'use http://, https:// or file://',
            });
          let digest: string | undefined;
          if (o.checksum) {
            digest = await fileDigest(part, o.checksum.algorithm);
            if (digest !== o.checksum.hex) {
              dropPart(part);
              throw new Error(
                `${o.checksum.algorithm} checksum mismatch: expected ${o.checksum.hex}, got ${digest} (the file was removed)`,
              );
            }
          }
          const size = statSync(part).size;
          renameSync(part, o.file);
          rmSync(`${part}.json`, { force: true });
          return { file: o.file, size, url: shownUrl(url), resumedFrom, checksum: digest };
        } catch (e) {
          if (e instanceof CmError) throw e;
          const why = (e as Error).message;
          if (e instanceof Stalled) stalled = true;
          if (e instanceof Transient && attempt < o.retries) {
            const wait = o.retryWaitMs * 2 ** attempt;
            o.emit({
              type: 'warning',
              text: `download of ${shownUrl(url)} failed (${why}); retry ${attempt + 1}/${o.retries} in ${(wait / 1000).toFixed(1)} s`,
            });
            await sleep(wait);
            continue;
          }
          failures.push(`${shownUrl(url)}: ${why}`);
          if (n + 1 < o.urls.length)
            o.emit({
              type: 'warning',
              text: `${shownUrl(url)} failed (${why}); trying the next mirror`,
            });
          break;
        }
      }
    }
  } finally {
    release();
  }
  // The partial file stays for the next run to resume (PART.json says from which URL); an empty
  // one resumes nothing and goes.
  const cut = partSize(part);
  if (cut === 0) dropPart(part);
  const hints: string[] = [];
  if (cut > 0) hints.push(keptPartHint(part, cut));
  if (stalled)
    hints.push(
      `the server stalled: allow it more seconds without data with --timeout=SECONDS (now ${o.idleMs / 1000}) or more attempts with --retries=N (now ${o.retries})`,
    );
  else if (cut === 0)
    hints.push(
      failures.every((f) => f.includes('checksum mismatch'))
        ? 'the server sends other bytes than the checksum expects: check the checksum, or add a mirror that has the right file'
        : 'check the URL (and --verify=no for a self-signed certificate); add mirrors with --mirrors,=URL2,URL3',
    );
  throw new CmError(
    failures.some((f) => f.includes('checksum mismatch')) ? 'checksum-mismatch' : 'download-failed',
    `download of ${o.file} failed: ${failures.join('; ')}`,
    { hint: hints.join('\n'), details: { failures, stalled, part: cut > 0 ? part : undefined } },
  );
}

/**
 * The file copied from the download store when it holds one for this checksum (sha256) or URL,
 * with its content verified; undefined (after a warning) when the stored bytes are not the ones
 * expected, so that the network is tried.
 */
async function fromStore(
  o: DownloadOptions,
  store: string,
  part: string,
): Promise<DownloadResult | undefined> {
  const sha256 = o.checksum?.algorithm === 'sha256' ? o.checksum.hex : undefined;
  const found = findStoredDownload(store, { urls: o.urls, sha256 });
  if (!found) return undefined;
  dropPart(part);
  copyFileSync(found.path, part, constants.COPYFILE_FICLONE);
  const got = await fileDigest(part, 'sha256');
  const digest = o.checksum?.algorithm === 'md5' ? await fileDigest(part, 'md5') : got;
  const why =
    got !== found.sha256
      ? `it is damaged (sha256 ${got}, stored as ${found.sha256})`
      : o.checksum && digest !== o.checksum.hex
        ? `its ${o.checksum.algorithm} is ${digest}, not the expected ${o.checksum.hex}`
        : undefined;
  if (why !== undefined) {
    dropPart(part);
    o.emit({ type: 'warning', text: `${found.path} in the download store: ${why}; downloading` });
    return undefined;
  }
  const size = statSync(part).size;
  renameSync(part, o.file);
  o.emit({
    type: 'info',
    text: `${basename(o.file)} taken from the download store (${found.path}, sha256 verified): ${shownUrl(o.urls[0]!)} was not downloaded`,
  });
  return {
    file: o.file,
    size,
    url: shownUrl(o.urls[0]!),
    resumedFrom: 0,
    checksum: o.checksum ? digest : undefined,
    fromStore: found.path,
  };
}

/** What a failed download says about the partial file it keeps. */
function keptPartHint(part: string, bytes: number): string {
  return `${bytes} bytes are kept in ${part}; running the same command again resumes (from the same URL, which ${part}.json keeps); to start over, delete ${part} and ${part}.json`;
}

function partSize(part: string): number {
  return statSync(part, { throwIfNoEntry: false })?.size ?? 0;
}

/** Locks this process holds (a library user may start two downloads of one file at once). */
const held = new Set<string>();

/**
 * One download at a time per file, without waiting: the shared lock file of db/lock.ts (pid and
 * start time; a gone or reused-pid owner is taken over), plus the locks this process holds.
 */
function takeLock(lock: string, file: string): () => void {
  const busy = (owner: number): CmError =>
    new CmError('locked', `another download into ${file} is running (pid ${owner})`, {
      hint: `wait for it to finish, or remove ${lock} if that process is not a download`,
    });
  if (held.has(lock)) throw busy(process.pid);
  const r = tryAcquireLock(lock);
  if ('holder' in r) throw busy(tokenPid(r.holder));
  held.add(lock);
  return () => {
    held.delete(lock);
    r.lock.release();
  };
}

/** One GET of httpGet: where it goes, what the part already holds, and how it ends (once). */
interface Get {
  origin: URL;
  url: URL;
  part: string;
  o: DownloadOptions;
  redirects: number;
  /** Bytes the part holds (asked for with a Range request when > 0) and where they came from. */
  have: number;
  info: PartInfo | undefined;
  /** Set when the promise is settled: later events change nothing. */
  settled: boolean;
  out?: WriteStream;
  resolve(resumedFrom: number): void;
  reject(e: unknown): void;
  /** Aborts the request and rejects once the part is closed (the next attempt sees every byte). */
  fail(e: Error): void;
}

/**
 * GET `url` (reached from `origin`, the URL as given, through redirects) into `part`, resuming
 * its bytes with a Range request when it has some; resolves with the bytes resumed (0 when the
 * whole file came).
 */
async function httpGet(
  origin: URL,
  url: URL,
  part: string,
  o: DownloadOptions,
  redirects: number,
): Promise<number> {
  const mod = (await importModule(url.protocol === 'https:' ? 'node:https' : 'node:http')) as
    typeof import('node:https') | typeof import('node:http');
  const have = partSize(part);
  const info = have > 0 ? readPartInfo(part) : undefined;
  const headers: Record<string, string> = {};
  if (have > 0) {
    headers['range'] = `bytes=${have}-`;
    // The server sends the whole file instead when it changed since the part was fetched.
    if (info?.validator) headers['if-range'] = info.validator;
  }
  return new Promise<number>((resolvePromise, reject) => {
    const g: Get = {
      origin,
      url,
      part,
      o,
      redirects,
      have,
      info,
      settled: false,
      resolve: resolvePromise,
      reject,
      fail: (e) => {
        if (g.settled) return;
        g.settled = true;
        req.destroy();
        if (g.out && !g.out.closed) {
          g.out.once('close', () => reject(e));
          g.out.end();
        } else reject(e);
      },
    };
    const req = mod.get(
      url,
      { headers, ...(o.verify ? {} : { rejectUnauthorized: false }) },
      (res) => onResponse(g, res),
    );
    // A server that stops sending (connect or mid-body) is given up after idleMs.
    req.setTimeout(o.idleMs, () =>
      g.fail(new Stalled(`the server stalled: no data for ${o.idleMs / 1000} s`)),
    );
    req.on('error', (e) => g.fail(new Transient(e.message)));
  });
}

/** Ends the GET without its body: the answer is read (drained), nothing is aborted. */
function settle(g: Get, res: IncomingMessage, e: Error, dropThePart = false): void {
  res.resume();
  g.settled = true;
  if (dropThePart) dropPart(g.part);
  g.reject(e);
}

/** Follows a redirect, refuses an answer that cannot go into the part, or receives the body. */
function onResponse(g: Get, res: IncomingMessage): void {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (status >= 300 && status < 400 && location) {
    if (g.redirects <= 0) return settle(g, res, new Error('too many redirects'));
    res.resume();
    g.settled = true;
    const next = new URL(location, g.url);
    g.o.emit({ type: 'debug', namespace: 'utils', text: `redirected to ${shownUrl(next)}` });
    httpGet(g.origin, next, g.part, g.o, g.redirects - 1).then(g.resolve, g.reject);
    return;
  }
  // The partial file is not a prefix the server knows: it is dropped.
  if (status === 416 && g.have > 0)
    return settle(
      g,
      res,
      new Transient('the server refused to resume (HTTP 416); the partial file was dropped'),
      true,
    );
  if (status < 200 || status >= 300) {
    res.resume();
    const e = `HTTP ${status} ${res.statusMessage ?? ''}`.trim();
    g.fail(status >= 500 || status === 429 ? new Transient(e) : new Error(e));
    return;
  }
  const resumed = status === 206;
  if (resumed) {
    // Only the bytes asked for are appended: "bytes HAVE-END/TOTAL".
    const range = res.headers['content-range'];
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(range ?? ''));
    if (!m || Number(m[1]) !== g.have)
      return settle(
        g,
        res,
        new Transient(
          `the server answered the resume with other bytes (${String(range ?? 'no Content-Range')}); the partial file was dropped`,
        ),
        true,
      );
  }
  receive(g, res, resumed);
}

/** Writes the body into the part (appended when `resumed`), with progress; checks its length. */
function receive(g: Get, res: IncomingMessage, resumed: boolean): void {
  const { o, url, part, have, info } = g;
  const start = resumed ? have : 0;
  const validator = String(res.headers['etag'] ?? res.headers['last-modified'] ?? '') || undefined;
  writeFileSync(
    `${part}.json`,
    JSON.stringify({
      url: g.origin.href,
      validator: resumed ? (info?.validator ?? validator) : validator,
    }),
  );
  if (have > 0)
    o.emit({
      type: 'info',
      text: resumed
        ? `Resuming ${shownUrl(url)} at byte ${have}`
        : `The server of ${shownUrl(url)} cannot resume: downloading it all again`,
    });
  const length = Number(res.headers['content-length'] ?? -1);
  const total = length >= 0 ? start + length : undefined;
  let got = 0;
  const progress = progressTask(o.emit, { id: o.file, label: shownUrl(url), total, from: start });
  const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
  g.out = out;
  res.on('data', (chunk: Buffer) => {
    got += chunk.length;
    progress.add(chunk.length);
  });
  res.on('error', (e) => g.fail(new Transient(e.message)));
  res.on('aborted', () => g.fail(new Transient(`connection closed after ${start + got} bytes`)));
  out.on('error', g.fail);
  out.on('finish', () => {
    if (g.settled) return;
    if (length >= 0 && got !== length)
      g.fail(new Transient(`connection closed after ${start + got} of ${total ?? '?'} bytes`));
    else {
      g.settled = true;
      progress.finish();
      g.resolve(start);
    }
  });
  res.pipe(out);
}
