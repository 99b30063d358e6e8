/**
 * Indexes the members of a tar file on disk (POSIX ustar, pax `path` records, GNU long names) by reading
 * headers only and seeking over data, so a multi-gigabyte `docker save` archive is never read twice.
 */
import { open } from 'node:fs/promises';
import { ImageFormatError, ImageLimitError } from '../../analysis/images/errors.js';
import { MAX_EXTENDED_HEADER, checksumOk, cstr, hasPosixPrefix, isZeroBlock, octal, paxRecords } from './tar-header.js';
import type { PaxRecords } from './tar-header.js';

export interface TarMember {
  name: string;
  type: string;
  offset: number;
  size: number;
  linkname: string;
}

export async function indexTar(file: string, maxMembers = 100_000): Promise<TarMember[]> {
  const fh = await open(file, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const out: TarMember[] = [];
    const hdr = Buffer.alloc(512);
    let pos = 0;
    let pending: PaxRecords = {};
    while (pos + 512 <= fileSize) {
      await fh.read(hdr, 0, 512, pos);
      if (isZeroBlock(hdr)) break;
      if (!checksumOk(hdr)) throw new ImageFormatError(`${file}: bad tar header checksum at offset ${pos}`);
      const type = String.fromCharCode(hdr[156] || 0x30);
      let size = octal(hdr, 124, 12);
      const dataStart = pos + 512;
      if (!(size >= 0)) throw new ImageFormatError(`${file}: invalid size in tar header at offset ${pos}`);
      if (type === 'x' || type === 'L' || type === 'K') {
        if (!(size >= 0) || size > MAX_EXTENDED_HEADER) throw new ImageLimitError(`${file}: oversized tar extended header`, 'tarHeader');
        const data = Buffer.alloc(size);
        await fh.read(data, 0, size, dataStart);
        if (type === 'x') pending = { ...pending, ...paxRecords(data) };
        else if (type === 'L') pending.path = cstr(data, 0, size);
        else pending.linkpath = cstr(data, 0, size);
      } else if (type !== 'g') {
        const prefix = hasPosixPrefix(hdr) ? cstr(hdr, 345, 155) : '';
        const name = pending.path ?? (prefix ? `${prefix}/${cstr(hdr, 0, 100)}` : cstr(hdr, 0, 100));
        if (pending.size !== undefined) size = pending.size;
        if (!(size >= 0) || !Number.isSafeInteger(size)) throw new ImageFormatError(`${file}: invalid size in tar header of "${name}"`);
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
