/** Test data copied into the project (testdata/<source>/, each with a SOURCE.md): read from here, never from ../shared. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './conformance.js';

export function testdataPath(...parts: string[]): string {
  return join(REPO_ROOT, 'testdata', ...parts);
}

export function readTestdata(...parts: string[]): string {
  return readFileSync(testdataPath(...parts), 'utf8');
}
