/**
 * A push-style tar reader for layer streams: feed it decompressed chunks and it calls back once per entry,
 * synchronously, handing entry data to a sink only when the caller asks for it. The formats and checks of
 * tar-stream (ustar/GNU/pax headers, header checksums, GNU long names, base-256 numbers, pax globals, end of
 * data inside an entry is an error; pre-POSIX v7 headers are read too), but with no stream object, promise
 * or copy per entry: on the bench/image layers, tar-stream's per-entry machinery took about twice as long
 * as the gunzip itself, and every file of an image passes through here.
 */
import { ImageFormatError, ImageLimitError } from '../../analysis/images/errors.js';
import { BLOCK, MAX_EXTENDED_HEADER, checksumOk, cstr, hasPosixPrefix, isZeroBlock, octal, paxRecords } from './tar-header.js';
import type { EntryHeader } from '../../analysis/images/fs/layered-fs.js';
import type { PaxRecords } from './tar-header.js';

/** Receives an entry's data: views into the decompressor's buffers, valid only during the call (copy to keep). */
export interface EntrySink {
  data(chunk: Buffer): void;
  end(): void;
}

/** Called per entry; returns a sink for its data, or undefined to skip the data. */
export type OnTarEntry = (header: EntryHeader) => EntrySink | undefined;

type Phase = 'header' | 'extended' | 'data' | 'padding';

function entryType(flag: number, name: string): EntryHeader['type'] {
  switch (flag) {
    case 0:
    case 0x30:
      return name.endsWith('/') ? 'directory' : 'file'; // pre-POSIX tars mark directories by a trailing slash
    case 0x37: // contiguous file
      return 'file';
    case 0x31:
      return 'link';
    case 0x32:
      return 'symlink';
    case 0x35:
      return 'directory';
    default:
      return 'other'; // devices, fifos, GNU sparse files and unknown types: recorded, never read
  }
}

/** Mode, uid and gid: a corrupt or negative field reads as 0, never as stray permission bits. */
function id(v: number): number {
  return v > 0 ? v : 0;
}

export class TarReader {
  private phase: Phase = 'header';
  /** A header block split across chunks. */
  private readonly block = Buffer.alloc(BLOCK);
  private blockFill = 0;
  /** Bytes left in the current phase (data, padding or extended header). */
  private remaining = 0;
  private padding = 0;
  private sink: EntrySink | undefined;
  private extended: { flag: number; chunks: Buffer[]; size: number } | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: PaxRecords | undefined;
  private paxGlobal: PaxRecords | undefined;

  constructor(
    private readonly onEntry: OnTarEntry,
    private readonly what: string,
  ) {}

  push(chunk: Buffer): void {
    let off = 0;
    const len = chunk.length;
    while (off < len) {
      if (this.phase === 'header') {
        if (this.blockFill === 0 && len - off >= BLOCK) {
          this.header(chunk, off);
          off += BLOCK;
        } else {
          const n = Math.min(BLOCK - this.blockFill, len - off);
          chunk.copy(this.block, this.blockFill, off, off + n);
          this.blockFill += n;
          off += n;
          if (this.blockFill === BLOCK) {
            this.blockFill = 0;
            this.header(this.block, 0);
          }
        }
        continue;
      }
      const n = Math.min(this.remaining, len - off);
      if (this.phase === 'data') this.sink?.data(chunk.subarray(off, off + n));
      else if (this.phase === 'extended') this.extended!.chunks.push(Buffer.from(chunk.subarray(off, off + n)));
      this.remaining -= n;
      off += n;
      if (this.remaining === 0) this.finishPhase();
    }
  }

  /** The stream ended: anything but a clean entry boundary is a truncated archive. */
  end(): void {
    if (this.phase !== 'header' || this.blockFill !== 0) throw new ImageFormatError(`${this.what}: unexpected end of tar data`);
  }

  private finishPhase(): void {
    if (this.phase === 'data') {
      const sink = this.sink;
      this.sink = undefined;
      sink?.end();
    } else if (this.phase === 'extended') {
      this.applyExtended();
    }
    if (this.phase !== 'padding' && this.padding > 0) {
      this.phase = 'padding';
      this.remaining = this.padding;
      this.padding = 0;
    } else this.phase = 'header';
  }

  private enter(phase: Phase, size: number): void {
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.remaining = size;
    this.phase = phase;
    if (size === 0) this.finishPhase();
  }

  private header(b: Buffer, at: number): void {
    if (isZeroBlock(b, at)) return; // end-of-archive blocks (and padding some writers add)
    if (!checksumOk(b, at)) throw new ImageFormatError(`${this.what}: invalid tar header (bad checksum): not a tar layer, or corrupt`);
    const flag = b[at + 156];
    let size = octal(b, at + 124, 12);
    if (flag === 0x78 || flag === 0x67 || flag === 0x4c || flag === 0x4b) {
      // pax ('x' entry, 'g' global) or GNU long name ('L') / long link ('K'): a record for what follows.
      if (!(size >= 0) || size > MAX_EXTENDED_HEADER) throw new ImageLimitError(`${this.what}: tar extended header of ${size} bytes`, 'tarHeader');
      this.extended = { flag, chunks: [], size };
      this.enter('extended', size);
      return;
    }
    let name = cstr(b, at, 100);
    if (hasPosixPrefix(b, at) && b[at + 345] !== 0) name = `${cstr(b, at + 345, 155)}/${name}`;
    let linkname = b[at + 157] === 0 ? undefined : cstr(b, at + 157, 100);
    const pax = this.pax; // a global pax header only supplies defaults to local ones (as tar-stream reads it)
    if (this.longName !== undefined) name = this.longName;
    if (this.longLink !== undefined) linkname = this.longLink;
    if (pax?.path) name = pax.path;
    if (pax?.linkpath) linkname = pax.linkpath;
    if (pax?.size !== undefined) size = pax.size;
    this.pax = this.longName = this.longLink = undefined;
    if (!(size >= 0) || !Number.isSafeInteger(size)) throw new ImageFormatError(`${this.what}: invalid size in tar header of "${name}"`);
    const header: EntryHeader = {
      name,
      type: entryType(flag, name),
      mode: id(octal(b, at + 100, 8)),
      uid: id(octal(b, at + 108, 8)),
      gid: id(octal(b, at + 116, 8)),
      size,
      linkname,
    };
    this.sink = this.onEntry(header);
    this.enter('data', size);
  }

  private applyExtended(): void {
    const { flag, chunks, size } = this.extended!;
    this.extended = undefined;
    const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    if (flag === 0x4c) this.longName = cstr(data, 0, data.length);
    else if (flag === 0x4b) this.longLink = cstr(data, 0, data.length);
    else if (flag === 0x67) this.paxGlobal = { ...this.paxGlobal, ...paxRecords(data) };
    else this.pax = { ...this.paxGlobal, ...paxRecords(data) };
  }
}
