import { createHash } from 'node:crypto';
import { ImageFormatError } from '../../analysis/images/errors.js';
import { streamingHash } from './hash-offload.js';
import type { ByteCounter } from './decompress.js';

const DIGEST = /^(sha256|sha512):([a-f0-9]+)$/;

export function parseDigest(d: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  const m = DIGEST.exec(d);
  if (!m || (m[1] === 'sha256' && m[2].length !== 64) || (m[1] === 'sha512' && m[2].length !== 128)) {
    throw new ImageFormatError(`invalid digest "${d}"`);
  }
  return { algorithm: m[1] as 'sha256' | 'sha512', hex: m[2] };
}

export function digestOf(buf: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(buf).digest('hex')}`;
}

export function verifyDigest(buf: Buffer, expected: string, what: string): void {
  const { algorithm } = parseDigest(expected);
  const actual = digestOf(buf, algorithm);
  if (actual !== expected) throw new ImageFormatError(`digest mismatch for ${what}: expected ${expected}, got ${actual}`);
}

/**
 * Passes bytes through while hashing and counting them; at the end the digest (when given) and the size
 * (when given) must match, or the stream fails. Large blobs are hashed on a helper thread (hash-offload.ts).
 */
export async function* verifiedBytes(
  src: AsyncIterable<Buffer>,
  expected: { digest?: string; size?: number; what: string },
  counter: ByteCounter,
): AsyncGenerator<Buffer> {
  const algo = expected.digest ? parseDigest(expected.digest).algorithm : undefined;
  const h = algo ? streamingHash(algo, expected.size) : undefined;
  let finished = false;
  try {
    for await (const chunk of src) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      counter.compressed += b.length;
      if (expected.size !== undefined && counter.compressed > expected.size) {
        throw new ImageFormatError(`${expected.what} is larger than its descriptor says (${expected.size} bytes)`);
      }
      await h?.update(b);
      yield b;
    }
    finished = true;
  } finally {
    if (!finished) h?.abort();
  }
  if (h && expected.digest) {
    const actual = `${algo}:${await h.digest()}`;
    if (actual !== expected.digest) throw new ImageFormatError(`digest mismatch for ${expected.what}: expected ${expected.digest}, got ${actual}`);
  }
}
