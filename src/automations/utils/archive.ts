// Unpacking archives safely: zip (unzip.ts), tar, tar.gz, tar.bz2, tar.xz (a streaming tar reader
// of our own; bzip2 and xz through the system's `bzip2 -dc` / `xz -dc`), and single .gz/.bz2/.xz
// files. Every entry is checked before anything is written: an entry that would land outside
// the target folder (an absolute path, `..`, a link pointing out) refuses the whole archive.
import { childProcess } from '../child-process.js';
import {
  chmodSync,
  closeSync,
  createReadStream,
  createWriteStream,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CmError } from '../../core/errors.js';
import type { EventSink } from '../../core/events.js';
import { clearFile, EntryPlan, type EntryType } from './entry-plan.js';
import { progressTask } from './progress.js';
import { unzipFile } from './unzip.js';

export type ArchiveFormat = 'zip' | 'tar' | 'tar.gz' | 'tar.bz2' | 'tar.xz' | 'gz' | 'bz2' | 'xz';

const SUFFIXES: Array<[string, ArchiveFormat]> = [
  ['.tar.gz', 'tar.gz'],
  ['.tgz', 'tar.gz'],
  ['.tar.bz2', 'tar.bz2'],
  ['.tbz2', 'tar.bz2'],
  ['.tbz', 'tar.bz2'],
  ['.tar.xz', 'tar.xz'],
  ['.txz', 'tar.xz'],
  ['.tar', 'tar'],
  ['.zip', 'zip'],
  ['.pth', 'zip'],
  ['.gz', 'gz'],
  ['.bz2', 'bz2'],
  ['.xz', 'xz'],
];

/** The format from the file name, else from its first bytes; undefined when unknown. */
export function archiveFormat(file: string): ArchiveFormat | undefined {
  const lower = file.toLowerCase();
  for (const [suffix, format] of SUFFIXES) if (lower.endsWith(suffix)) return format;
  const head = Buffer.alloc(512);
  let n = 0;
  try {
    const fd = openSync(file, 'r');
    n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
  } catch {
    return undefined;
  }
  if (n >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (n >= 3 && head.toString('latin1', 0, 3) === 'BZh') return 'tar.bz2';
  if (n >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])))
    return 'tar.xz';
  if (n >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return undefined;
}

// ---- tar ------------------------------------------------------------------------------------

interface TarHeader {
  name: string;
  mode: number;
  size: number;
  type: string;
  link: string;
}

function cString(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const end = s.indexOf(0);
  return s.toString('utf8', 0, end < 0 ? len : end);
}

function octal(b: Buffer, start: number, len: number): number {
  // Base-256 (GNU) for sizes over 8 GB: the high bit of the first byte is set.
  if ((b[start]! & 0x80) !== 0) {
    let v = 0;
    for (let k = start + 1; k < start + len; k++) v = v * 256 + b[k]!;
    return v;
  }
  const s = cString(b, start, len).trim();
  return s === '' ? 0 : Number.parseInt(s, 8);
}

/** pax extended header records: "LEN key=value\n". */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let p = 0;
  while (p < data.length) {
    const sp = data.indexOf(0x20, p);
    if (sp < 0) break;
    const len = Number(data.toString('latin1', p, sp));
    if (!(len > 0)) break;
    const rec = data.toString('utf8', sp + 1, p + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    p += len;
  }
  return out;
}

/**
 * A push parser of a tar stream. For each entry it calls `onEntry(header)`, then `onData` with
 * the entry's bytes, then `onEnd`. GNU long names and pax headers are applied to the next entry.
 */
class TarReader {
  #buf: Buffer = Buffer.alloc(0);
  #entry: TarHeader | undefined;
  #left = 0;
  #pad = 0;
  #meta: { kind: string; size: number; chunks: Buffer[] } | undefined;
  #next: { path?: string; linkpath?: string; size?: number } = {};
  /** Bytes given to write() so far, and where the header being read starts. */
  #total = 0;
  #offset = 0;
  done = false;

  constructor(
    private readonly file: string,
    private readonly onEntry: (h: TarHeader) => void,
    private readonly onData: (b: Buffer) => void,
    private readonly onEnd: () => void,
  ) {}

  /** The stream ended inside an entry (a cut download, a truncated file). */
  get truncated(): boolean {
    return !this.done && (this.#left > 0 || this.#meta !== undefined || this.#buf.length > 0);
  }

  write(chunk: Buffer): void {
    this.#total += chunk.length;
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    for (;;) {
      if (this.done) return;
      if (this.#left > 0) {
        if (this.#buf.length === 0) return;
        const take = Math.min(this.#left, this.#buf.length);
        const part = this.#buf.subarray(0, take);
        this.#buf = this.#buf.subarray(take);
        this.#left -= take;
        if (this.#meta) this.#meta.chunks.push(Buffer.from(part));
        else this.onData(part);
        if (this.#left === 0) this.#finishEntry();
        continue;
      }
      if (this.#pad > 0) {
        const take = Math.min(this.#pad, this.#buf.length);
        this.#buf = this.#buf.subarray(take);
        this.#pad -= take;
        if (this.#pad > 0) return;
        continue;
      }
      if (this.#buf.length < 512) return;
      this.#offset = this.#total - this.#buf.length;
      const h = this.#buf.subarray(0, 512);
      this.#buf = this.#buf.subarray(512);
      if (h.every((x) => x === 0)) {
        this.done = true;
        return;
      }
      this.#header(Buffer.from(h));
    }
  }

  #header(h: Buffer): void {
    let sum = 0;
    for (let k = 0; k < 512; k++) sum += k >= 148 && k < 156 ? 32 : h[k]!;
    if (sum !== octal(h, 148, 8))
      throw new CmError(
        'archive-failed',
        `${this.file}: not a tar archive, or a damaged one (bad header checksum at byte ${this.#offset})`,
      );
    const type = String.fromCharCode(h[156]!) === '\0' ? '0' : String.fromCharCode(h[156]!);
    const meta = type === 'L' || type === 'K' || type === 'x' || type === 'g';
    // A pax "size" record (files of 8 GiB and more) replaces the header's.
    const size = !meta && this.#next.size !== undefined ? this.#next.size : octal(h, 124, 12);
    const ustar = h.toString('latin1', 257, 262) === 'ustar';
    const prefix = ustar ? cString(h, 345, 155) : '';
    const base = cString(h, 0, 100);
    const header: TarHeader = {
      name: this.#next.path ?? (prefix ? `${prefix}/${base}` : base),
      mode: octal(h, 100, 8),
      size,
      type,
      link: this.#next.linkpath ?? cString(h, 157, 100),
    };
    this.#left = size;
    this.#pad = (512 - (size % 512)) % 512;
    if (meta) {
      this.#meta = { kind: type, size, chunks: [] };
      if (size === 0) this.#finishEntry();
      return;
    }
    this.#next = {};
    this.#entry = header;
    this.onEntry(header);
    if (size === 0) this.#finishEntry();
  }

  #finishEntry(): void {
    if (this.#meta) {
      const data = Buffer.concat(this.#meta.chunks);
      if (this.#meta.kind === 'L') this.#next.path = cString(data, 0, data.length);
      else if (this.#meta.kind === 'K') this.#next.linkpath = cString(data, 0, data.length);
      else if (this.#meta.kind === 'x') {
        const r = paxRecords(data);
        if (r['path'] !== undefined) this.#next.path = r['path'];
        if (r['linkpath'] !== undefined) this.#next.linkpath = r['linkpath'];
        if (r['size'] !== undefined && /^\d+$/.test(r['size'])) this.#next.size = Number(r['size']);
      }
      this.#meta = undefined;
      return;
    }
    if (this.#entry) this.onEnd();
    this.#entry = undefined;
  }
}

/** The decompressed bytes of `file`, chunk by chunk; `onRead` gets compressed bytes read. */
async function* decompressed(
  file: string,
  compression: 'none' | 'gz' | 'bz2' | 'xz',
  onRead: (n: number) => void,
): AsyncGenerator<Buffer> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  input.on('data', (c) => onRead((c as Buffer).length));
  if (compression === 'none') {
    for await (const c of input) yield c as Buffer;
    return;
  }
  if (compression === 'gz') {
    const z = createGunzip({ chunkSize: 1 << 18 });
    input.pipe(z);
    input.on('error', (e) => z.destroy(e));
    try {
      for await (const c of z) yield c as Buffer;
    } catch (e) {
      throw new CmError(
        'archive-failed',
        `${file} is not a readable gzip file: ${(e as Error).message}`,
      );
    }
    return;
  }
  const tool = compression === 'bz2' ? 'bzip2' : 'xz';
  const child = childProcess().spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((ok, fail) => {
    child.on('error', (e) =>
      fail(
        new CmError('archive-failed', `cannot run ${tool} to unpack ${file}: ${e.message}`, {
          hint: `install ${tool} (e.g. apt-get install -y ${tool === 'xz' ? 'xz-utils' : 'bzip2'})`,
        }),
      ),
    );
    child.on('close', ok);
  });
  exited.catch(() => undefined);
  input.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  try {
    for await (const c of child.stdout) yield c as Buffer;
  } finally {
    input.destroy();
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code !== 0)
    throw new CmError(
      'archive-failed',
      `${tool} -dc ${file} failed: ${stderr.trim() || `exit ${code}`}`,
    );
}

async function readTar(
  file: string,
  compression: 'none' | 'gz' | 'bz2' | 'xz',
  handlers: {
    entry: (h: TarHeader) => void;
    data: (b: Buffer) => void;
    end: () => void;
  },
  onRead: (n: number) => void,
): Promise<void> {
  const reader = new TarReader(file, handlers.entry, handlers.data, handlers.end);
  for await (const chunk of decompressed(file, compression, onRead)) {
    reader.write(chunk);
    if (reader.done) break;
  }
  if (reader.truncated)
    throw new CmError('archive-failed', `${file} is truncated: it ends inside an entry`, {
      hint: 'download it again (a cut download or a full disk leaves such files)',
    });
}

export interface ExtractResult {
  format: ArchiveFormat;
  /** Where it went: the folder, or the file for a single .gz/.bz2/.xz. */
  path: string;
  files: number;
}

/**
 * Unpack `file` into folder `root` (made if missing). `strip` drops leading folders of every
 * entry. A tar is read twice: the first pass checks every entry, the second writes.
 */
export async function extractArchive(o: {
  file: string;
  root: string;
  strip: number;
  format?: ArchiveFormat | undefined;
  /** For a single compressed file: the output name (default the input's without its suffix). */
  outName?: string | undefined;
  emit: EventSink;
}): Promise<ExtractResult> {
  const st = statSync(o.file, { throwIfNoEntry: false });
  if (!st || !st.isFile())
    throw new CmError('file-not-found', `archive ${o.file} not found`, {
      hint: 'give the archive with --input=FILE (or download it first with download-and-extract)',
    });
  const format = o.format ?? archiveFormat(o.file);
  if (!format)
    throw new CmError('archive-failed', `${o.file}: unknown archive format`, {
      hint: 'supported: .zip .tar .tar.gz/.tgz .tar.bz2 .tar.xz .gz .bz2 .xz',
    });
  const progress = progressTask(o.emit, {
    id: o.file,
    label: `unpacking ${basename(o.file)}`,
    total: st.size,
  });
  const onRead = (n: number): void => progress.add(n);
  if (format === 'zip') {
    const files = await unzipFile(o.file, o.root, o.strip, onRead);
    progress.finish();
    return { format, path: o.root, files };
  }
  if (format === 'gz' || format === 'bz2' || format === 'xz') {
    const name = o.outName || basename(o.file).replace(/\.(gz|bz2|xz)$/i, '');
    if (name === '' || name.includes('/') || name === '..')
      throw new CmError('bad-input', `cannot name the file unpacked from ${o.file}: "${name}"`);
    const out = join(o.root, name);
    if (lstatSync(out, { throwIfNoEntry: false })?.isDirectory())
      throw new CmError('archive-failed', `${o.file}: ${out} is a folder; nothing was unpacked`);
    mkdirSync(o.root, { recursive: true });
    const tmp = `${out}.part-${process.pid}`;
    try {
      const sink = createWriteStream(tmp);
      await pipeline(decompressed(o.file, format, onRead), sink);
      clearFile(out);
      renameSync(tmp, out);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    progress.finish();
    return { format, path: out, files: 1 };
  }
  const compression = format === 'tar' ? 'none' : (format.slice(4) as 'gz' | 'bz2' | 'xz');
  // Pass 1: check every entry and decide where each goes (in archive order); nothing is written.
  const plan = new EntryPlan(o.file, o.root, o.strip);
  const steps: Array<{ out: string; type: EntryType; target?: string } | undefined> = [];
  await readTar(
    o.file,
    compression,
    {
      entry: (h) => {
        const type = tarType(h, plan);
        const out =
          type === undefined
            ? undefined
            : plan.place(h.name, type === 'hardlink' ? 'file' : type, h.link);
        const target = type === 'hardlink' ? plan.linkTarget(h.name, h.link) : undefined;
        steps.push(out === undefined ? undefined : { out, type: type!, target });
      },
      data: () => undefined,
      end: () => undefined,
    },
    () => undefined,
  );
  // Pass 2: write, entry by entry as pass 1 decided.
  mkdirSync(o.root, { recursive: true });
  let fd: number | undefined;
  let files = 0;
  let next = 0;
  const modes: Array<[string, number]> = [];
  await readTar(
    o.file,
    compression,
    {
      entry: (h) => {
        const step = steps[next++];
        if (step === undefined) return;
        const { out, type } = step;
        if (type === 'dir') {
          mkdirSync(out, { recursive: true });
          if ((h.mode & 0o777) !== 0) modes.push([out, h.mode & 0o777]);
          return;
        }
        mkdirSync(dirname(out), { recursive: true });
        clearFile(out);
        if (type === 'symlink') symlinkSync(h.link, out);
        else if (type === 'hardlink') linkSync(step.target!, out);
        else {
          fd = openSync(out, 'w', 0o644);
          files++;
          if ((h.mode & 0o777) !== 0) modes.push([out, h.mode & 0o777]);
        }
      },
      data: (b) => {
        if (fd !== undefined) writeSync(fd, b);
      },
      end: () => {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      },
    },
    onRead,
  );
  // Folder modes last: a read-only folder is filled before it becomes read-only.
  for (const [p, m] of modes.reverse()) chmodSync(p, m);
  progress.finish();
  return { format, path: o.root, files };
}

/** The kind of a tar entry; undefined for entries that carry no file (global headers). */
function tarType(h: TarHeader, plan: EntryPlan): EntryType | undefined {
  switch (h.type) {
    case '0':
    case '7':
      return 'file';
    case '5':
      return 'dir';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    case '3':
    case '4':
    case '6':
      return plan.refuse(h.name, 'is a device or a FIFO');
    default:
      return plan.refuse(h.name, `has an unknown tar type "${h.type}"`);
  }
}
