/**
 * Reads OSV records from what osv.dev publishes: a directory of `*.json` files (any depth), a zip of them
 * (`<Ecosystem>/all.zip`), or a directory holding such zips (a mirror copy, for air-gapped use).
 * Zips are read entry by entry, never unpacked to disk or loaded whole.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { inflateSync } from 'fflate';
import { join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import type { ZipDirectoryEntry } from '../../core/zip-directory.js';
import { readZipDirectory, zipDataOffset } from '../../core/zip-directory.js';

export interface RawEntry {
  /** "file.json" or "archive.zip!entry.json" */
  origin: string;
  text: string;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) listFiles(full, out);
    else if (name.endsWith('.json') || name.endsWith('.zip')) out.push(full);
  }
  return out;
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/** The `.json` entries of the central directory, in file order. A missing end record (a truncated download) is an error. */
function jsonEntries(path: string, fd: number, size: number): ZipDirectoryEntry[] {
  let all: ZipDirectoryEntry[];
  try {
    all = readZipDirectory((offset, length) => readAt(fd, offset, length), size);
  } catch (e) {
    throw new Error(`${path}: ${errorMessage(e)}`, { cause: e });
  }
  const out = all.filter((e) => !e.name.endsWith('/') && e.name.endsWith('.json'));
  for (const e of out) if (e.flags & 1) throw new Error(`${path}: encrypted entry ${e.name}`);
  return out.sort((a, b) => a.localOffset - b.localOffset);
}

/** An OSV record is a few kilobytes; the largest published are well under a megabyte. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Yields every `.json` entry of a zip: the central directory in one read, entry data through a sliding window
 * in file order, inflated synchronously. (yauzl's per-entry reads and streams cost ~0.1–0.4 ms per entry, which
 * dominated imports of 100k-record archives.) Sizes and CRC-32 are checked: a damaged archive rejects and the
 * import fails whole.
 */
export async function* zipEntries(path: string): AsyncGenerator<RawEntry> {
  const fd = openSync(path, 'r');
  let entries: ZipDirectoryEntry[];
  try {
    entries = jsonEntries(path, fd, fstatSync(fd).size);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  // Entries are read in file order through a sliding window, so 100k small entries cost a few hundred reads.
  const WINDOW = 8 * 1024 * 1024;
  let buf = Buffer.alloc(WINDOW);
  let bufStart = 0;
  let bufLen = 0;
  const slice = (offset: number, length: number): Buffer => {
    if (offset < bufStart || offset + length > bufStart + bufLen) {
      if (length > buf.length) buf = Buffer.alloc(length);
      bufStart = offset;
      bufLen = readSync(fd, buf, 0, buf.length, offset);
      if (bufLen < length) throw new Error(`${path}: truncated archive`);
    }
    return buf.subarray(offset - bufStart, offset - bufStart + length);
  };
  try {
    for (const e of entries) {
      // Sizes come from the archive: a hostile one must not make us allocate gigabytes.
      if (e.size > MAX_RECORD_BYTES || e.compressedSize > MAX_RECORD_BYTES) throw new Error(`${path}: entry ${e.name} is larger than ${MAX_RECORD_BYTES} bytes; not an OSV record`);
      let dataStart: number;
      try {
        dataStart = zipDataOffset(slice(e.localOffset, 30), e);
      } catch (err) {
        throw new Error(`${path}: ${errorMessage(err)}`, { cause: err });
      }
      const data = slice(dataStart, e.compressedSize);
      let raw: Buffer;
      if (e.method === 0) raw = Buffer.from(data);
      // fflate's synchronous inflate: node:zlib's inflateRawSync sets up a native stream per call (~50 µs).
      else if (e.method === 8) raw = Buffer.from(inflateSync(data, { out: new Uint8Array(e.size) }).buffer);
      else throw new Error(`${path}: unsupported compression method ${e.method} for ${e.name}`);
      if (raw.length !== e.size || (crc32(raw) >>> 0) !== e.crc32 >>> 0) throw new Error(`${path}: checksum mismatch for ${e.name}`);
      yield { origin: `${path}!${e.name}`, text: raw.toString('utf8') };
    }
  } finally {
    closeSync(fd);
  }
}

/** Every raw OSV JSON text under a path (file, zip or directory). */
export async function* osvEntries(path: string): AsyncGenerator<RawEntry> {
  const st = statSync(path);
  const files = st.isDirectory() ? listFiles(path) : [path];
  for (const f of files) {
    if (f.endsWith('.zip')) yield* zipEntries(f);
    else yield { origin: f, text: readFileSync(f, 'utf8') };
  }
}
