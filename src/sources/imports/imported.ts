/** What an import yields: per source (tool, or tool and report kind), the findings to upload and their scope. */
import type { Finding, ResourceRef } from '../../core/model.js';
import type { Held, SuppressedFinding, UploadScope } from '../upload/format.js';

export type Obj = Record<string, unknown>;

export interface ImportedResults {
  source: string;
  /** cluster: the input is everything this source says about the cluster; resources: only about `resources`. */
  scope: UploadScope;
  resources: ResourceRef[];
  findings: Finding[];
  held: Held[];
  suppressed: SuppressedFinding[];
}

/** Input that was not imported, counted by what it was (never its content). */
export type Skipped = Map<string, number>;

export function skip(skipped: Skipped, what: string): void {
  skipped.set(what, (skipped.get(what) ?? 0) + 1);
}

export function batchOf(batches: Map<string, ImportedResults>, source: string, scope: UploadScope): ImportedResults {
  return batches.get(source) ?? batches.set(source, { source, scope, resources: [], findings: [], held: [], suppressed: [] }).get(source)!;
}

export function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export const SOURCE_NAME = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63) || 'unknown';
