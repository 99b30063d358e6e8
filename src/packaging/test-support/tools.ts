/** A real tool the packaging tests drive; missing, the test skips with the set-up script to run — or fails under CI. */
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export function toolMissing(t: TestContext, tool: string, setup: string): boolean {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0) return false;
  assert.notEqual(process.env.CI, 'true', `${tool} is missing: ${setup} installs it (CI runs scripts/ci-setup.sh)`);
  t.skip(`${tool} is not installed (bash ${setup})`);
  return true;
}
