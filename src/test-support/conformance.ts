/**
 * Locates upstream test data vendored under testdata/<dataset>/ (each with its SOURCE.md: repository, commit,
 * licence, what the expectations mean). Only the files the tests read are vendored; see testdata/README.md.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TESTDATA = join(REPO_ROOT, 'testdata');

export function conformanceDir(...parts: string[]): string {
  const dir = join(TESTDATA, ...parts);
  if (!existsSync(dir)) throw new Error(`test data not found at ${dir}: vendor what the test reads (testdata/README.md)`);
  return dir;
}
