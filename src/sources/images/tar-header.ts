/**
 * Decoding of tar header fields (POSIX ustar, GNU and pax, as in Go's archive/tar reader): shared by the
 * on-disk member index (tar-index.ts) and the streaming layer reader (tar-reader.ts).
 */

export const BLOCK = 512;
/** Largest pax / GNU long-name record accepted (a hostile archive could announce gigabytes). */
export const MAX_EXTENDED_HEADER = 1024 * 1024;

/** A NUL-terminated string field. */
export function cstr(b: Buffer, start: number, len: number): string {
  let end = start;
  while (end < start + len && b[end] !== 0) end++;
  return b.toString('utf8', start, end);
}

/**
 * A numeric field: octal digits (leading spaces or NULs, ended by a space or NUL), or GNU base-256 when the
 * high bit of the first byte is set (sizes ≥ 8 GiB, large ids). Returns -1 for negative base-256 values.
 */
export function octal(b: Uint8Array, start: number, len: number): number {
  const end = start + len;
  if (b[start] & 0x80) {
    if (b[start] === 0xff) return -1;
    let v = b[start] & 0x7f;
    for (let i = start + 1; i < end; i++) v = v * 256 + b[i];
    return v;
  }
  let i = start;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return NaN;
    v = v * 8 + (c - 0x30);
  }
  return v;
}

/** Sum of the 512 bytes of a block. Four bytes at a time when aligned: this runs once per tar entry. */
function blockSum(b: Uint8Array, start: number): number {
  const at = b.byteOffset + start;
  let sum = 0;
  if (at % 4 !== 0) {
    for (let i = start; i < start + BLOCK; i++) sum += b[i];
    return sum;
  }
  const words = new Uint32Array(b.buffer, at, BLOCK / 4);
  // Two 16-bit lanes of byte pairs: 128 words add up to at most 65280 per lane, no carry between lanes.
  let lanes = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    lanes += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
  }
  return (lanes & 0xffff) + (lanes >>> 16);
}

/** The header checksum check (the checksum field counts as spaces); false for a corrupt block. */
export function checksumOk(b: Uint8Array, start = 0): boolean {
  let field = 0;
  for (let i = start + 148; i < start + 156; i++) field += b[i];
  return blockSum(b, start) - field + 8 * 0x20 === octal(b, start + 148, 8);
}

export function isZeroBlock(b: Uint8Array, start = 0): boolean {
  for (let i = start; i < start + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** `ustar\0` (POSIX) or `ustar ` (GNU): both carry uname/gname; only POSIX has the name prefix. */
export function hasPosixPrefix(b: Uint8Array, start = 0): boolean {
  const m = start + 257;
  return b[m] === 0x75 && b[m + 1] === 0x73 && b[m + 2] === 0x74 && b[m + 3] === 0x61 && b[m + 4] === 0x72 && b[m + 5] === 0;
}

export interface PaxRecords {
  path?: string;
  linkpath?: string;
  size?: number;
}

/** The records of a pax extended header that change how an entry is read: `path`, `linkpath`, `size`. */
export function paxRecords(data: Buffer): PaxRecords {
  const out: PaxRecords = {};
  let p = 0;
  while (p < data.length) {
    const sp = data.indexOf(0x20, p);
    if (sp < 0) break;
    const len = parseInt(data.toString('latin1', p, sp), 10);
    if (!(len > 0) || p + len > data.length) break;
    const rec = data.toString('utf8', sp + 1, p + len - 1);
    const eq = rec.indexOf('=');
    const k = rec.slice(0, eq);
    if (k === 'path') out.path = rec.slice(eq + 1);
    else if (k === 'linkpath') out.linkpath = rec.slice(eq + 1);
    else if (k === 'size') out.size = Number(rec.slice(eq + 1));
    p += len;
  }
  return out;
}
