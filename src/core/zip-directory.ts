/**
 * The central directory of a ZIP archive (PKWARE APPNOTE.TXT 4.3.12–4.3.16, Zip64 included), read through a
 * caller's `read(offset, length)` so the same code serves an archive in memory (a jar inside an image layer)
 * and one on disk read in pieces (an OSV export). No I/O of its own.
 */

export interface ZipDirectoryEntry {
  name: string;
  /** General-purpose flags (bit 0: encrypted). */
  flags: number;
  /** 0 stored, 8 deflated. */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  localOffset: number;
}

export class ZipFormatError extends Error {}

/** Thrown when the archive declares more entries than the caller allows. */
export class ZipEntryLimitError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const SATURATED = 0xffffffff;

/** Entries in central-directory order. `read` may return fewer bytes than asked at the end of the archive. */
export function readZipDirectory(read: (offset: number, length: number) => Buffer, size: number, maxEntries = Infinity): ZipDirectoryEntry[] {
  const tailLength = Math.min(size, 22 + 65535);
  const tail = read(size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a zip archive, or truncated (no end of central directory record)');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  // Saturated fields send the reader to the Zip64 end record, through the locator just before this one. Without a
  // locator the 32-bit values are the real ones (an archive of exactly 65,535 entries, as Python writes it; Go's
  // archive/zip reads it the same way).
  const locator = eocd - 20;
  if ((count === 0xffff || cdSize === SATURATED || cdOffset === SATURATED) && locator >= 0 && tail.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const z = read(Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (z.length < 56 || z.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError('damaged Zip64 end of central directory record');
    count = Number(z.readBigUInt64LE(32));
    cdSize = Number(z.readBigUInt64LE(40));
    cdOffset = Number(z.readBigUInt64LE(48));
  }
  if (count > maxEntries) throw new ZipEntryLimitError(`zip archive has ${count} entries (limit ${maxEntries})`);
  if (cdOffset + cdSize > size) throw new ZipFormatError('truncated archive (central directory past the end)');
  const cd = read(cdOffset, cdSize);
  const out: ZipDirectoryEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_HEADER) throw new ZipFormatError('damaged central directory');
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const e: ZipDirectoryEntry = {
      name: cd.toString('utf8', p + 46, p + 46 + nameLength),
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc32: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
    };
    // Zip64 extended information (header id 1): the fields whose 32-bit slot is saturated, in this order.
    let x = p + 46 + nameLength;
    const extraEnd = x + extraLength;
    if (extraEnd + commentLength > cd.length) throw new ZipFormatError('damaged central directory (an entry runs past its end)');
    while (x + 4 <= extraEnd) {
      const id = cd.readUInt16LE(x);
      const length = cd.readUInt16LE(x + 2);
      if (x + 4 + length > extraEnd) throw new ZipFormatError(`damaged extra field of ${e.name}`);
      if (id === 1) {
        let q = x + 4;
        const next = (): number => {
          if (q + 8 > x + 4 + length) throw new ZipFormatError(`damaged Zip64 extra field of ${e.name}`);
          q += 8;
          return Number(cd.readBigUInt64LE(q - 8));
        };
        if (e.size === SATURATED) e.size = next();
        if (e.compressedSize === SATURATED) e.compressedSize = next();
        if (e.localOffset === SATURATED) e.localOffset = next();
      }
      x += 4 + length;
    }
    out.push(e);
    p = extraEnd + commentLength;
  }
  return out;
}

/** Offset of an entry's data, from its local header (30 bytes at `localOffset`, read by the caller). */
export function zipDataOffset(localHeader: Buffer, e: ZipDirectoryEntry): number {
  if (localHeader.length < 30 || localHeader.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipFormatError(`bad local header for ${e.name}`);
  return e.localOffset + 30 + localHeader.readUInt16LE(26) + localHeader.readUInt16LE(28);
}
