/**
 * A small, bounded ZIP reader (PKWARE APPNOTE.TXT: end of central directory, central directory, local
 * headers; stored and deflated entries; ZIP64 sizes/offsets). Used for jars; reads from an in-memory buffer.
 */
import { inflateRawSync } from 'node:zlib';
import { ImageFormatError, ImageLimitError } from '../errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;

export function listZip(buf: Buffer, maxEntries = 200_000): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ImageFormatError('not a zip archive (no end of central directory)');
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
    const z = Number(buf.readBigUInt64LE(eocd - 12));
    count = Number(buf.readBigUInt64LE(z + 32));
    cdOffset = Number(buf.readBigUInt64LE(z + 48));
  }
  if (count > maxEntries) throw new ImageLimitError(`zip archive has ${count} entries (limit ${maxEntries})`, 'zipEntries');
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CDH) throw new ImageFormatError('corrupt zip central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const e: ZipEntry = {
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    // ZIP64 extended information extra field (header id 1): present values in order size, csize, offset.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = buf.readUInt16LE(x);
      const len = buf.readUInt16LE(x + 2);
      if (id === 1) {
        let q = x + 4;
        if (e.size === 0xffffffff) {
          e.size = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (e.compressedSize === 0xffffffff) {
          e.compressedSize = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (e.localOffset === 0xffffffff) e.localOffset = Number(buf.readBigUInt64LE(q));
      }
      x += 4 + len;
    }
    out.push(e);
    p = xEnd + commentLen;
  }
  return out;
}

export function readZipEntry(buf: Buffer, e: ZipEntry, maxSize: number): Buffer {
  if (e.size > maxSize) throw new ImageLimitError(`zip entry ${e.name} is ${e.size} bytes (limit ${maxSize})`, 'zipEntrySize');
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LFH) throw new ImageFormatError(`corrupt zip local header for ${e.name}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data;
  if (e.method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(1, maxSize) });
  throw new ImageFormatError(`unsupported zip compression method ${e.method} for ${e.name}`);
}
