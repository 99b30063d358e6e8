/** Resolving the input of analysis commands: paths (the scan loader) or a snapshot file. */
import type { LoadResult } from '../sources/files/load.js';
import { loadPaths } from '../sources/files/load.js';
import { UsageError } from '../core/errors.js';

export interface InputFlags {
  file?: string[];
  snapshot?: string;
}

export function loadInputs(paths: string[], flags: InputFlags = {}): LoadResult {
  const all = [...paths, ...(flags.file ?? []), ...(flags.snapshot ? [flags.snapshot] : [])];
  if (all.length === 0) throw new UsageError('no input: give paths, -f/--file PATH, --snapshot FILE, or - for stdin');
  return loadPaths(all);
}
