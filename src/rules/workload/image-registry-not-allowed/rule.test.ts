import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from './rule.js';
import { fixturesOf, runRule } from '../../test-support/rule-tester.js';

const options = { allowedRegistries: ['registry.example.com', 'ghcr.io/acme/', '*.pkg.dev/acme-prod/*'] };

describe('image-registry-not-allowed without an allowlist', () => {
  it('stays quiet and does not mark anything as not evaluated', () => {
    const { fail } = fixturesOf(import.meta.url);
    const run = runRule(rule, fail, {});
    assert.deepEqual(run.findings, []);
    assert.deepEqual(run.notEvaluated, []);
  });
  it('reports each disallowed image with its line', () => {
    const { fail } = fixturesOf(import.meta.url);
    const run = runRule(rule, fail.filter((f) => f.endsWith('fail-lookalike-prefix.yaml')), options);
    assert.deepEqual(run.findings.map((f) => [f.path, f.location?.line]), [
      ['/spec/initContainers/0/image', 13],
      ['/spec/containers/0/image', 16],
    ]);
  });
});
