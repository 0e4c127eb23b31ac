// Writing a plain tar (POSIX ustar; pax records for names over 100 bytes and files of 8 GiB and
// more) of regular files, streamed from disk a chunk at a time. The other half of CM's own tar
// reader (utils/archive.ts), which unpacks it; written whole or not at all (a temp file renamed).
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { CmError } from '../../core/errors.js';
import { tmpSuffix } from '../../core/uid.js';

/** One file of the tar: its name in the archive and its bytes (a file on disk, or in memory). */
export type TarEntry = { name: string; source: string } | { name: string; data: Buffer };

const BLOCK = 512;
/** The largest size the 11 octal digits of a ustar header hold. */
const MAX_OCTAL_SIZE = 0o77777777777;

function writeOctal(h: Buffer, at: number, width: number, value: number): void {
  h.write(value.toString(8).padStart(width - 1, '0'), at, width - 1, 'latin1');
}

/** A ustar header of a regular file ('0') or a pax extended header ('x'). */
function header(name: string, size: number, type: '0' | 'x', mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  // The name cut to 100 bytes: a pax record before it carries the whole name when longer.
  h.write(name, 0, 100, 'utf8');
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size > MAX_OCTAL_SIZE ? 0 : size);
  writeOctal(h, 136, 12, mtime);
  h.write(type, 156, 1, 'latin1');
  h.write('ustar\0', 257, 6, 'latin1');
  h.write('00', 263, 2, 'latin1');
  // The checksum counts its own field as eight spaces.
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return h;
}

/** "LEN key=value\n", LEN counting the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  let len = rest + 1;
  while (len !== rest + String(len).length) len = rest + String(len).length;
  return `${len} ${key}=${value}\n`;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Appends `entry` to the tar open as `fd`; `onBytes` gets the entry's bytes as they are copied. */
function writeEntry(
  fd: number,
  entry: TarEntry,
  mtime: number,
  onBytes: (n: number) => void,
): void {
  const src = 'source' in entry ? openSync(entry.source, 'r') : undefined;
  try {
    const size = src === undefined ? (entry as { data: Buffer }).data.length : fstatSync(src).size;
    let pax = '';
    if (Buffer.byteLength(entry.name) > 100 || /[^\x20-\x7e]/.test(entry.name))
      pax += paxRecord('path', entry.name);
    if (size > MAX_OCTAL_SIZE) pax += paxRecord('size', String(size));
    if (pax !== '') {
      const body = Buffer.from(pax, 'utf8');
      const paxName = `PaxHeader/${basename(entry.name)}`.slice(0, 99);
      writeSync(fd, header(paxName, body.length, 'x', mtime));
      writeSync(fd, Buffer.concat([body, padding(body.length)]));
    }
    writeSync(fd, header(entry.name, size, '0', mtime));
    if (src === undefined) {
      writeSync(fd, (entry as { data: Buffer }).data);
      onBytes(size);
    } else copyBytes(src, fd, size, (entry as { source: string }).source, onBytes);
    writeSync(fd, padding(size));
  } finally {
    if (src !== undefined) closeSync(src);
  }
}

function copyBytes(
  src: number,
  fd: number,
  size: number,
  source: string,
  onBytes: (n: number) => void,
): void {
  const chunk = Buffer.allocUnsafe(1 << 20);
  for (let done = 0; done < size;) {
    const n = readSync(src, chunk, 0, Math.min(chunk.length, size - done), null);
    if (n === 0)
      throw new CmError('write-failed', `${source} became shorter while it was packed`, {
        hint: 'let whatever writes it finish, then pack again',
      });
    writeSync(fd, chunk.subarray(0, n));
    done += n;
    onBytes(n);
  }
}

/** Writes tar `file` holding `entries` in order (regular files, mode 644, the current time). */
export function writeTar(
  file: string,
  entries: readonly TarEntry[],
  onBytes: (n: number) => void = () => undefined,
): void {
  const tmp = `${file}.tmp-${tmpSuffix()}`;
  const mtime = Math.floor(Date.now() / 1000);
  let fd: number | undefined = openSync(tmp, 'w');
  try {
    for (const entry of entries) writeEntry(fd, entry, mtime, onBytes);
    writeSync(fd, Buffer.alloc(2 * BLOCK));
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
