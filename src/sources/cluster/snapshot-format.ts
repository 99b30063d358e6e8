/**
 * The snapshot file: a JSON `kind: List` (so kubectl and jq read it) with a top-level `kubeguard` header, written
 * one object per line so that it can be read back line by line, whatever its size (a 150,000-pod cluster is
 * larger than the longest string V8 can hold). Compressed with gzip when the file name ends in .gz.
 *
 *   {"apiVersion":"v1","kind":"List","kubeguard":{...},"items":[
 *   {...object 1...},
 *   {...object 2...}
 *   ]}
 */
import type { KindFailure, ListedResource } from './collect.js';

export const SNAPSHOT_FORMAT = 'kubeguard.snapshot/v1';

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  context: string;
  server: string;
  /** When the cluster was read (ISO 8601). */
  collectedAt: string;
  /** Kinds (cluster-wide or per namespace) that could not be read. */
  failures: KindFailure[];
  /** Resources listed, with counts (absent for files written before this field existed). */
  resources?: ListedResource[];
  objects: number;
  /** How Secret values were kept: keys only, each value as HMAC-SHA256 under a random key that was not stored. */
  secretValues: 'hmac-sha256-unstored-key';
  tool: { name: string; version: string };
}

export function headerLine(header: SnapshotHeader): string {
  return `{"apiVersion":"v1","kind":"List","kubeguard":${JSON.stringify(header)},"items":[`;
}

export const FOOTER = ']}';
