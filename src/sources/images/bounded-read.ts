import { open } from 'node:fs/promises';
import { ImageLimitError } from '../../analysis/images/errors.js';

/** Reads a whole (small) file, refusing files larger than `max` bytes before reading them. */
export async function readFileBounded(path: string, max: number, what: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size > max) throw new ImageLimitError(`${what} is ${size} bytes (limit ${max})`, 'maxManifestBytes');
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return buf.subarray(0, off);
  } finally {
    await fh.close();
  }
}

/** Collects an async byte stream into a buffer, failing as soon as it grows past `max`. */
export async function collectBounded(src: AsyncIterable<Buffer | Uint8Array>, max: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of src) {
    n += c.length;
    if (n > max) throw new ImageLimitError(`${what} exceeds ${max} bytes`, 'maxManifestBytes');
    chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  }
  return Buffer.concat(chunks);
}
