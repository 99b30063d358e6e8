/** Locates the upstream conformance data in ../shared/conformance (read in place, never copied). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function conformanceDir(...parts: string[]): string {
  const base = process.env.KUBEGUARD_CONFORMANCE ?? join(REPO_ROOT, '..', 'shared', 'conformance');
  const dir = join(base, ...parts);
  if (!existsSync(dir)) throw new Error(`conformance data not found at ${dir} (set KUBEGUARD_CONFORMANCE)`);
  return dir;
}
