/**
 * Where scan results live: `--record FILE` > `KUBEGUARD_SCAN_RESULTS` > `scan-results.db` next to the
 * vulnerability database (the same data directory, see src/sources/vulndb/paths.ts).
 */
import { dirname, join } from 'node:path';
import { resolveDbPath } from '../vulndb/paths.js';
import type { DbPathInput } from '../vulndb/paths.js';

export const SCAN_RESULTS_FILE = 'scan-results.db';

export function resolveScanResultsPath(input: DbPathInput = {}): string {
  const env = input.env ?? process.env;
  if (input.flag) return input.flag;
  if (env.KUBEGUARD_SCAN_RESULTS) return env.KUBEGUARD_SCAN_RESULTS;
  return join(dirname(resolveDbPath({ ...input, flag: undefined })), SCAN_RESULTS_FILE);
}
