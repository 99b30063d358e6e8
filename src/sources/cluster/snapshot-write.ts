/** Writes a ClusterState as a snapshot file (gzip when the name ends in .gz), streaming: one object per line. */
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ClusterState } from './collect.js';
import { FOOTER, SNAPSHOT_FORMAT, headerLine } from './snapshot-format.js';
import type { SnapshotHeader } from './snapshot-format.js';

export function snapshotHeader(state: ClusterState, tool: { name: string; version: string }): SnapshotHeader {
  return {
    format: SNAPSHOT_FORMAT,
    context: state.context,
    server: state.server,
    collectedAt: state.collectedAt,
    failures: state.failures,
    resources: state.listed,
    objects: state.objects.length,
    secretValues: 'hmac-sha256-unstored-key',
    tool,
  };
}

const CHUNK = 1 << 20;

/** The file's text in chunks of about 1 MiB (one object per line). */
function* chunks(state: ClusterState, tool: { name: string; version: string }): Generator<string> {
  let buf = headerLine(snapshotHeader(state, tool)) + '\n';
  const n = state.objects.length;
  for (let i = 0; i < n; i++) {
    buf += JSON.stringify(state.objects[i]) + (i < n - 1 ? ',\n' : '\n');
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield buf + FOOTER + '\n';
}

export async function writeSnapshot(file: string, state: ClusterState, tool: { name: string; version: string }): Promise<void> {
  const source = Readable.from(chunks(state, tool));
  const out = createWriteStream(file);
  if (file.endsWith('.gz')) await pipeline(source, createGzip(), out);
  else await pipeline(source, out);
}
