/**
 * Indexes the members of a tar file on disk (POSIX ustar, pax `path` records, GNU long names) by reading
 * headers only and seeking over data, so a multi-gigabyte `docker save` archive is never read twice.
 */
import { open } from 'node:fs/promises';
import { ImageFormatError, ImageLimitError } from '../../analysis/images/errors.js';

export interface TarMember {
  name: string;
  type: string;
  offset: number;
  size: number;
  linkname: string;
}

function cstr(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const z = s.indexOf(0);
  return s.toString('utf8', 0, z < 0 ? len : z);
}

function octal(b: Buffer, start: number, len: number): number {
  if (b[start] & 0x80) {
    // base-256 (GNU) for sizes ≥ 8 GiB
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i];
    return v;
  }
  const s = cstr(b, start, len).trim();
  return s ? parseInt(s, 8) : 0;
}

function paxPath(data: Buffer): { path?: string; linkpath?: string; size?: number } {
  const out: { path?: string; linkpath?: string; size?: number } = {};
  let p = 0;
  while (p < data.length) {
    const sp = data.indexOf(0x20, p);
    if (sp < 0) break;
    const len = parseInt(data.toString('latin1', p, sp), 10);
    if (!(len > 0)) break;
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

export async function indexTar(file: string, maxMembers = 100_000): Promise<TarMember[]> {
  const fh = await open(file, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const out: TarMember[] = [];
    const hdr = Buffer.alloc(512);
    let pos = 0;
    let pending: { path?: string; linkpath?: string; size?: number } = {};
    while (pos + 512 <= fileSize) {
      await fh.read(hdr, 0, 512, pos);
      if (hdr.every((b) => b === 0)) break;
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : hdr[i];
      if (sum !== octal(hdr, 148, 8)) throw new ImageFormatError(`${file}: bad tar header checksum at offset ${pos}`);
      const type = String.fromCharCode(hdr[156] || 0x30);
      let size = octal(hdr, 124, 12);
      const dataStart = pos + 512;
      if (type === 'x' || type === 'L' || type === 'K') {
        if (size > 1024 * 1024) throw new ImageLimitError(`${file}: oversized tar extended header`, 'tarHeader');
        const data = Buffer.alloc(size);
        await fh.read(data, 0, size, dataStart);
        if (type === 'x') pending = { ...pending, ...paxPath(data) };
        else if (type === 'L') pending.path = cstr(data, 0, size);
        else pending.linkpath = cstr(data, 0, size);
      } else if (type !== 'g') {
        const prefix = hdr.toString('latin1', 257, 263).startsWith('ustar') ? cstr(hdr, 345, 155) : '';
        const name = pending.path ?? (prefix ? `${prefix}/${cstr(hdr, 0, 100)}` : cstr(hdr, 0, 100));
        if (pending.size !== undefined) size = pending.size;
        out.push({ name, type, offset: dataStart, size, linkname: pending.linkpath ?? cstr(hdr, 157, 100) });
        if (out.length > maxMembers) throw new ImageLimitError(`${file}: more than ${maxMembers} members`, 'tarMembers');
        pending = {};
      }
      pos = dataStart + Math.ceil(size / 512) * 512;
    }
    return out;
  } finally {
    await fh.close();
  }
}
