/** Terminal and file I/O shared by commands. */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { UsageError } from '../core/errors.js';

export function useColor(explicit?: boolean): boolean {
  if (explicit === false || process.env.NO_COLOR) return false;
  return Boolean(process.stdout.isTTY) || Boolean(process.env.FORCE_COLOR);
}

/** Writes a string, or chunks (a streamed report) one by one, to a file or stdout. */
export function writeOutput(text: string | Iterable<string>, file?: string): void {
  if (typeof text === 'string') {
    if (file) writeFileSync(file, text);
    else process.stdout.write(text);
    return;
  }
  const fd = file ? openSync(file, 'w') : 1;
  try {
    for (const chunk of text) writeAll(fd, chunk);
  } finally {
    if (file) closeSync(fd);
  }
}

/** One buffer the chunks are encoded into (a chunk that does not fit gets its own). */
let scratch: Buffer | undefined;

function writeAll(fd: number, chunk: string): void {
  // reports come in chunks of tens of KB (stream-json.ts): each encoded into the same memory, not a new buffer
  // each that only a collection gives back
  scratch ??= Buffer.allocUnsafe(1 << 20);
  const fits = chunk.length * 3 <= scratch.length;
  const buf = fits ? scratch.subarray(0, scratch.write(chunk)) : Buffer.from(chunk);
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      // a non-blocking stdout pipe that is full: wait for it to drain
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** Progress and notes go to stderr so stdout stays machine-readable. */
export function note(message: string, quiet = false): void {
  if (!quiet) process.stderr.write(message + '\n');
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function intFlag(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got "${value}")`);
  return n;
}
