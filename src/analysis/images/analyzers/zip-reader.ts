/**
 * Jars in memory: the central directory through core/zip-directory.ts, stored and deflated entries, bounded
 * entry count and sizes.
 */
import { inflateRawSync } from 'node:zlib';
import type { ZipDirectoryEntry } from '../../../core/zip-directory.js';
import { readZipDirectory, zipDataOffset, ZipEntryLimitError } from '../../../core/zip-directory.js';
import { errorMessage } from '../../../core/errors.js';
import { ImageFormatError, ImageLimitError } from '../errors.js';

export function listZip(buf: Buffer, maxEntries = 200_000): ZipDirectoryEntry[] {
  try {
    return readZipDirectory((offset, length) => buf.subarray(offset, offset + length), buf.length, maxEntries);
  } catch (e) {
    if (e instanceof ZipEntryLimitError) throw new ImageLimitError(e.message, 'zipEntries');
    throw new ImageFormatError(errorMessage(e));
  }
}

export function readZipEntry(buf: Buffer, e: ZipDirectoryEntry, maxSize: number): Buffer {
  if (e.size > maxSize) throw new ImageLimitError(`zip entry ${e.name} is ${e.size} bytes (limit ${maxSize})`, 'zipEntrySize');
  let start: number;
  try {
    start = zipDataOffset(buf.subarray(e.localOffset, e.localOffset + 30), e);
  } catch {
    throw new ImageFormatError(`corrupt zip local header for ${e.name}`);
  }
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data;
  if (e.method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(1, maxSize) });
  throw new ImageFormatError(`unsupported zip compression method ${e.method} for ${e.name}`);
}
