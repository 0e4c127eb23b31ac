// Reading a zip archive from disk with positioned reads, never the whole file: the central
// directory (ZIP64 included) lists the entries, and each entry's bytes stream through inflate into
// a writable, their size and CRC-32 checked. Where entries go is EntryPlan's business, not this.
import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { crc32, createInflateRaw } from 'node:zlib';
import { CmError } from '../../core/errors.js';

const readAsync = promisify(read);

export interface ZipEntry {
  /** As written in the central directory, decoded as UTF-8. */
  name: string;
  /** 0 stored, 8 deflate; others are refused by `checkMethod`. */
  method: number;
  flags: number;
  size: number;
  compressedSize: number;
  crc32: number;
  /** Where the local header starts, and where the entry's bytes start after it. */
  headerOffset: number;
  dataOffset: number;
  /** Unix mode (type and permission bits) when the archive was made on unix, else 0. */
  mode: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const METHODS: Record<number, string> = {
  1: 'shrink',
  6: 'implode',
  9: 'deflate64',
  12: 'bzip2',
  14: 'lzma',
  93: 'zstd',
  95: 'xz',
  99: 'AES encryption',
};

/** The structure of the archive is broken: the whole archive is refused. */
function damaged(file: string, why: string): CmError {
  return new CmError('archive-failed', `${file} is not a readable zip archive: ${why}`, {
    hint: 'download it again (a cut download leaves such files)',
  });
}

/** A number from 8 bytes; refused above 2^53 (no real archive is that large). */
function u64(b: Buffer, at: number, file: string): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER))
    throw damaged(file, 'a ZIP64 size or offset is too large');
  return Number(v);
}

/** An open zip archive: its entries, checked for layout, and a way to copy out each one. */
export class ZipArchive {
  readonly entries: ZipEntry[] = [];
  readonly #fd: number;
  readonly #size: number;

  /** Opens `file` and reads its central directory; throws CmError when it is no zip. */
  constructor(readonly file: string) {
    try {
      this.#fd = openSync(file, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new CmError('file-not-found', `file ${file} not found`);
      throw new CmError('archive-failed', `cannot read ${file}: ${(e as Error).message}`);
    }
    try {
      const st = fstatSync(this.#fd);
      if (!st.isFile()) throw new CmError('archive-failed', `${file} is not a file`);
      this.#size = st.size;
      const dir = this.#findDirectory();
      this.#readDirectory(dir.offset, dir.size, dir.shift);
      this.#checkLayout(dir.offset + dir.shift);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  close(): void {
    try {
      closeSync(this.#fd);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EBADF') throw e;
    }
  }

  /** `length` bytes at `pos`; a short read means the archive is cut. */
  #readAt(pos: number, length: number): Buffer {
    const b = Buffer.alloc(length);
    if (pos < 0 || pos + length > this.#size)
      throw damaged(this.file, `it is cut short (needs bytes up to ${pos + length})`);
    let n = 0;
    while (n < length) {
      let k: number;
      try {
        k = readSync(this.#fd, b, n, length - n, pos + n);
      } catch (e) {
        throw new CmError('archive-failed', `cannot read ${this.file}: ${(e as Error).message}`);
      }
      if (k === 0) throw damaged(this.file, 'it is cut short');
      n += k;
    }
    return b;
  }

  /**
   * The central directory's offset and size as written, and `shift`: bytes prepended to the
   * archive (a self-extracting stub), by which every offset written in it is off.
   */
  #findDirectory(): { offset: number; size: number; shift: number } {
    const tailLength = Math.min(this.#size, 22 + 0xffff);
    const tail = this.#readAt(this.#size - tailLength, tailLength);
    let at = -1;
    for (let p = tail.length - 22; p >= 0; p--) {
      if (tail.readUInt32LE(p) === SIG_EOCD && p + 22 + tail.readUInt16LE(p + 20) <= tail.length) {
        at = p;
        break;
      }
    }
    if (at < 0) throw damaged(this.file, 'no end of central directory record');
    const eocd = this.#size - tailLength + at;
    const disk = tail.readUInt16LE(at + 4);
    let size: number = tail.readUInt32LE(at + 12);
    let offset: number = tail.readUInt32LE(at + 16);
    let end = eocd;
    const locator = eocd >= 20 ? this.#readAt(eocd - 20, 20) : undefined;
    if (locator?.readUInt32LE(0) === SIG_LOCATOR64) {
      // The ZIP64 record is where the locator says, or just before it when a stub shifted it.
      let rec = u64(locator, 8, this.file);
      if (rec + 56 > this.#size || this.#readAt(rec, 4).readUInt32LE(0) !== SIG_EOCD64)
        rec = eocd - 20 - 56;
      const z = this.#readAt(rec, 56);
      if (z.readUInt32LE(0) !== SIG_EOCD64) throw damaged(this.file, 'no ZIP64 end record');
      if (z.readUInt32LE(16) !== 0 || z.readUInt32LE(20) !== 0 || locator.readUInt32LE(16) > 1)
        throw damaged(this.file, 'it spans several disks, which CM does not read');
      size = u64(z, 40, this.file);
      offset = u64(z, 48, this.file);
      end = rec;
    } else if (disk !== 0) {
      throw damaged(this.file, 'it spans several disks, which CM does not read');
    } else if (size === 0xffffffff || offset === 0xffffffff) {
      throw damaged(this.file, 'its end record needs ZIP64 records, which are missing');
    }
    const shift = end - size - offset;
    if (shift < 0) throw damaged(this.file, 'the central directory is out of place');
    return { offset, size, shift };
  }

  #readDirectory(offset: number, size: number, shift: number): void {
    const cd = this.#readAt(offset + shift, size);
    const decoder = new TextDecoder('utf-8');
    let p = 0;
    while (p < cd.length) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL)
        throw damaged(this.file, `bad central directory record at byte ${offset + shift + p}`);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const next = p + 46 + nameLength + extraLength + cd.readUInt16LE(p + 32);
      if (next > cd.length) throw damaged(this.file, 'a central directory record is cut short');
      const rawName = cd.subarray(p + 46, p + 46 + nameLength);
      const name = decoder.decode(rawName);
      if (name.includes('\0'))
        throw damaged(this.file, `entry "${name.replace(/\0/g, '\\0')}" has a NUL in its name`);
      const host = cd.readUInt8(p + 5);
      const e: ZipEntry = {
        name,
        method: cd.readUInt16LE(p + 10),
        flags: cd.readUInt16LE(p + 8),
        crc32: cd.readUInt32LE(p + 16),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        headerOffset: cd.readUInt32LE(p + 42),
        dataOffset: 0,
        // 3: unix, 19: macOS; other hosts keep DOS attributes there.
        mode: host === 3 || host === 19 ? cd.readUInt32LE(p + 38) >>> 16 : 0,
      };
      const disk = cd.readUInt16LE(p + 34);
      this.#zip64(e, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), disk);
      e.headerOffset += shift;
      e.dataOffset = this.#dataOffset(e, rawName);
      this.entries.push(e);
      p = next;
    }
  }

  /** Applies the ZIP64 extra field (0x0001): the 64-bit values of the fields saturated above. */
  #zip64(e: ZipEntry, extra: Buffer, disk: number): void {
    const wants = [e.size, e.compressedSize, e.headerOffset].map((v) => v === 0xffffffff);
    if (!wants.includes(true) && disk !== 0xffff) {
      if (disk !== 0) throw damaged(this.file, `entry "${e.name}" is on another disk`);
      return;
    }
    for (let p = 0; p + 4 <= extra.length;) {
      const id = extra.readUInt16LE(p);
      const length = extra.readUInt16LE(p + 2);
      const data = extra.subarray(p + 4, p + 4 + length);
      p += 4 + length;
      if (id !== 0x0001) continue;
      let q = 0;
      const take = (): number => {
        if (q + 8 > data.length) throw damaged(this.file, `entry "${e.name}": short ZIP64 field`);
        q += 8;
        return u64(data, q - 8, this.file);
      };
      if (wants[0]) e.size = take();
      if (wants[1]) e.compressedSize = take();
      if (wants[2]) e.headerOffset = take();
      if (disk === 0xffff && (q + 4 > data.length || data.readUInt32LE(q) !== 0))
        throw damaged(this.file, `entry "${e.name}" is on another disk`);
      return;
    }
    throw damaged(this.file, `entry "${e.name}" lacks the ZIP64 field its sizes need`);
  }

  /** Where the entry's bytes start, after its local header (which must give the same name). */
  #dataOffset(e: ZipEntry, rawName: Buffer): number {
    const h = this.#readAt(e.headerOffset, 30);
    if (h.readUInt32LE(0) !== SIG_LOCAL)
      throw damaged(this.file, `entry "${e.name}" has no local header at byte ${e.headerOffset}`);
    const nameLength = h.readUInt16LE(26);
    const local = this.#readAt(e.headerOffset + 30, nameLength);
    if (!local.equals(rawName))
      throw damaged(this.file, `entry "${e.name}" has another name in its local header`);
    return e.headerOffset + 30 + nameLength + h.readUInt16LE(28);
  }

  /** Entries' bytes may not overlap (a zip bomb reuses them) nor run into the directory. */
  #checkLayout(directory: number): void {
    const sorted = [...this.entries].sort((a, b) => a.headerOffset - b.headerOffset);
    sorted.forEach((e, k) => {
      const end = e.dataOffset + e.compressedSize;
      const next = sorted[k + 1];
      if (end > (next ? next.headerOffset : directory))
        throw damaged(
          this.file,
          next
            ? `entry "${e.name}" overlaps entry "${next.name}"`
            : `entry "${e.name}" runs into the central directory`,
        );
    });
  }

  /** Refuses (CmError) an entry CM cannot unpack: encrypted, or compressed other than by deflate. */
  checkMethod(e: ZipEntry): void {
    const refuse = (why: string, hint: string): never => {
      throw new CmError('archive-failed', `${this.file}: entry "${e.name}" ${why}`, {
        hint: `${hint}; the archive is refused as a whole; nothing was unpacked`,
      });
    };
    if ((e.flags & 0x41) !== 0 || e.method === 99)
      refuse('is encrypted', 'decrypt it with unzip or 7z first');
    if (e.method !== 0 && e.method !== 8) {
      const known = METHODS[e.method];
      refuse(
        `uses compression method ${e.method}${known ? ` (${known})` : ''}, which CM cannot unpack (only stored and deflate)`,
        'unpack it with unzip or 7z',
      );
    }
    if (e.method === 0 && e.compressedSize !== e.size)
      throw damaged(this.file, `stored entry "${e.name}" has two different sizes`);
  }

  /**
   * Streams the entry's bytes, inflated, into `sink` with backpressure; `onRead` gets the
   * compressed bytes read. Refuses (CmError) output longer or shorter than the directory says,
   * and a CRC-32 mismatch. Write errors of `sink` are passed through as they are.
   */
  async copyEntry(e: ZipEntry, sink: Writable, onRead?: (n: number) => void): Promise<void> {
    this.checkMethod(e);
    let written = 0;
    let crc = 0;
    const check = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        written += chunk.length;
        if (written > e.size) return done(this.#bad(e, `holds more than its ${e.size} bytes`));
        crc = crc32(chunk, crc);
        done(null, chunk);
      },
    });
    const source = this.#bytes(e, onRead);
    // An empty entry may come with no deflate stream at all.
    const inflate =
      e.method === 8 && e.compressedSize > 0 ? createInflateRaw({ chunkSize: 1 << 18 }) : undefined;
    try {
      if (inflate) await pipeline(source, inflate, check, sink);
      else await pipeline(source, check, sink);
    } catch (err) {
      // zlib's errors carry a code Z_DATA_ERROR, Z_BUF_ERROR ...; the sink's are passed through.
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code !== 'string' || !code.startsWith('Z_')) throw err;
      throw this.#bad(e, `is damaged (${(err as Error).message})`);
    }
    if (written !== e.size) throw this.#bad(e, `has ${written} bytes, not ${e.size}`);
    if (crc !== e.crc32) throw this.#bad(e, 'fails its CRC-32 check');
  }

  /** The bytes of one entry are damaged (found while they are unpacked). */
  #bad(e: ZipEntry, why: string): CmError {
    return new CmError('archive-failed', `${this.file}: entry "${e.name}" ${why}`, {
      hint: 'the archive is damaged: download it again (a cut download leaves such files)',
    });
  }

  /** The entry's bytes in memory: for small files (a repo's meta) only. */
  async readEntry(e: ZipEntry, limit: number): Promise<Buffer> {
    if (e.size > limit)
      throw new CmError('archive-failed', `${this.file}: entry "${e.name}" is over ${limit} bytes`);
    const chunks: Buffer[] = [];
    await this.copyEntry(
      e,
      new Writable({
        write: (c: Buffer, _enc, done) => {
          chunks.push(c);
          done();
        },
      }),
    );
    return Buffer.concat(chunks);
  }

  /** The entry's compressed bytes in chunks of up to 1 MiB, each read when the consumer wants it. */
  async *#bytes(e: ZipEntry, onRead?: (n: number) => void): AsyncGenerator<Buffer> {
    for (let left = e.compressedSize; left > 0;) {
      const b = Buffer.allocUnsafe(Math.min(left, 1 << 20));
      const at = e.dataOffset + e.compressedSize - left;
      let n: number;
      try {
        n = (await readAsync(this.#fd, b, 0, b.length, at)).bytesRead;
      } catch (err) {
        throw new CmError('archive-failed', `cannot read ${this.file}: ${(err as Error).message}`);
      }
      if (n === 0) throw this.#bad(e, 'is cut short');
      left -= n;
      onRead?.(n);
      yield b.subarray(0, n);
    }
  }
}
