/**
 * Event files for `runtime analyze` and `runtime baseline learn`: streamed in chunks (logs are large), gzip
 * recognised by its magic bytes (rotated audit logs), `-` for stdin. Only regular files, pipes and stdin are read:
 * a device or socket given as an event file is refused with a clear error, never opened for reading.
 */
import { createReadStream, fstatSync, openSync, closeSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { RuntimeEvent } from '../../core/events/model.js';
import { SourceError, errorMessage } from '../../core/errors.js';
import { EventReader, emptyStats, mergeStats, type EventReadStats } from './reader.js';

export interface FileReadResult {
  stats: EventReadStats;
  /** Files that could not be read at all (the run is incomplete). */
  failed: { file: string; message: string }[];
}

function openEventFile(file: string): Readable {
  if (file === '-') return process.stdin;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new SourceError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`, file, { cause: e });
  }
  const st = fstatSync(fd);
  if (!st.isFile() && !st.isFIFO()) {
    closeSync(fd);
    throw new SourceError(`${file} is not a regular file (a device, socket or directory is not read as events)`, file);
  }
  return createReadStream('', { fd, highWaterMark: 1 << 20 });
}

/** A stream, ungzipped when its first bytes are the gzip magic. */
async function* chunksOf(stream: Readable): AsyncGenerator<Buffer> {
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    return;
  }
  const gunzip = createGunzip();
  const pump = (async () => {
    try {
      if (!gunzip.write(head)) await new Promise((r) => gunzip.once('drain', r));
      for (let n = await it.next(); !n.done; n = await it.next()) if (!gunzip.write(n.value)) await new Promise((r) => gunzip.once('drain', r));
      gunzip.end();
    } catch (e) {
      gunzip.destroy(e as Error);
    }
  })();
  for await (const c of gunzip as AsyncIterable<Buffer>) yield c;
  await pump;
}

/** Reads event files one after the other, handing each event to `onEvent`; unreadable files are listed, not fatal. */
export async function readEventFiles(files: readonly string[], onEvent: (e: RuntimeEvent) => void): Promise<FileReadResult> {
  const stats = emptyStats();
  const failed: FileReadResult['failed'] = [];
  for (const file of files) {
    const reader = new EventReader(file === '-' ? 'stdin' : file, onEvent);
    try {
      for await (const chunk of chunksOf(openEventFile(file))) reader.push(chunk);
      mergeStats(stats, reader.end());
    } catch (e) {
      mergeStats(stats, reader.end());
      failed.push({ file, message: e instanceof SourceError ? e.message : `cannot read ${file}: ${errorMessage(e)}` });
    }
  }
  return { stats, failed };
}
