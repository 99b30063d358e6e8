/**
 * Resolving the input of analysis commands (scan, pss, rbac, netpol): paths through the scan loader,
 * a snapshot file, or a live cluster.
 */
import type { LoadResult } from '../sources/files/load.js';
import { loadPaths } from '../sources/files/load.js';
import type { NotEvaluated } from '../core/model.js';
import { UsageError } from '../core/errors.js';

export interface InputFlags {
  file?: string[];
  snapshot?: string;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
}

export interface Inputs extends LoadResult {
  /** Scopes that could not be read (e.g. kinds the cluster forbade): rules needing them cannot evaluate. */
  notEvaluated: NotEvaluated[];
}

export async function loadInputs(paths: string[], flags: InputFlags = {}): Promise<Inputs> {
  if (flags.cluster) throw new UsageError('--cluster is not available yet');
  const all = [...paths, ...(flags.file ?? []), ...(flags.snapshot ? [flags.snapshot] : [])];
  if (all.length === 0) throw new UsageError('no input: give paths, -f/--file PATH, --snapshot FILE, or - for stdin');
  return { ...loadPaths(all), notEvaluated: [] };
}
