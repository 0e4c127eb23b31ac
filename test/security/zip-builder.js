// Zip archives built byte by byte for the tests, including what no zip tool writes on purpose:
// duplicate names, symbolic links with files under them, ZIP64 records on small entries, methods
// CM does not read. Sizes and CRC-32 come from the data unless an entry gives its own.
import { crc32, deflateRawSync } from 'node:zlib';

const u16 = (v) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
};
const u32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const u64 = (v) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};

/**
 * An entry to write: `{name, data}` (deflated unless `method: 0`), or `{name, method, crc, size,
 * compressed}` with the compressed bytes given. `mode` is a unix mode (0o120777: a symbolic
 * link); `zip64` writes its sizes and offset in a ZIP64 extra field.
 */
export function entry(o) {
  const method = o.method ?? 8;
  const data = o.data === undefined ? undefined : Buffer.from(o.data);
  const compressed = o.compressed ?? (method === 8 ? deflateRawSync(data) : data);
  return {
    name: Buffer.from(o.name),
    method,
    flags: o.flags ?? 0x0800,
    crc: o.crc ?? crc32(data),
    size: o.size ?? data.length,
    compressed,
    mode: o.mode ?? 0o100644,
    zip64: o.zip64 ?? false,
  };
}

/** The local header of `e` (sizes written there too: no data descriptor). */
export function localHeader(e) {
  const extra = e.zip64
    ? Buffer.concat([u16(1), u16(16), u64(e.size), u64(e.compressed.length)])
    : Buffer.alloc(0);
  return Buffer.concat([
    u32(0x04034b50),
    u16(e.zip64 ? 45 : 20),
    u16(e.flags),
    u16(e.method),
    u32(0), // time, date
    u32(e.crc),
    u32(e.zip64 ? 0xffffffff : e.compressed.length),
    u32(e.zip64 ? 0xffffffff : e.size),
    u16(e.name.length),
    u16(extra.length),
    e.name,
    extra,
  ]);
}

/** The central directory record of `e`, whose local header is at `offset`. */
export function centralHeader(e, offset) {
  const extra = e.zip64
    ? Buffer.concat([u16(1), u16(24), u64(e.size), u64(e.compressed.length), u64(offset)])
    : Buffer.alloc(0);
  const sat = (v) => (e.zip64 ? 0xffffffff : v);
  return Buffer.concat([
    u32(0x02014b50),
    u16((3 << 8) | 45), // made on unix
    u16(e.zip64 ? 45 : 20),
    u16(e.flags),
    u16(e.method),
    u32(0),
    u32(e.crc),
    u32(sat(e.compressed.length)),
    u32(sat(e.size)),
    u16(e.name.length),
    u16(extra.length),
    u16(0), // comment
    u16(0), // disk
    u16(0), // internal attributes
    u32((e.mode << 16) >>> 0),
    u32(sat(offset)),
    e.name,
    extra,
  ]);
}

/** The end records: ZIP64 record and locator first when `zip64`. */
export function endRecords(count, cdOffset, cdSize, zip64 = false) {
  const eocd = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(zip64 ? 0xffff : count),
    u16(zip64 ? 0xffff : count),
    u32(zip64 ? 0xffffffff : cdSize),
    u32(zip64 ? 0xffffffff : cdOffset),
    u16(0),
  ]);
  if (!zip64) return eocd;
  const rec = Buffer.concat([
    u32(0x06064b50),
    u64(44),
    u16((3 << 8) | 45),
    u16(45),
    u32(0),
    u32(0),
    u64(count),
    u64(count),
    u64(cdSize),
    u64(cdOffset),
  ]);
  const locator = Buffer.concat([u32(0x07064b50), u32(0), u64(cdOffset + cdSize), u32(1)]);
  return Buffer.concat([rec, locator, eocd]);
}

/** A whole archive of `entries` (made by `entry`). */
export function zipOf(entries, { zip64 = false } = {}) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const e of entries) {
    const local = Buffer.concat([localHeader(e), e.compressed]);
    central.push(centralHeader(e, offset));
    parts.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(central);
  return Buffer.concat([...parts, cd, endRecords(entries.length, offset, cd.length, zip64)]);
}
