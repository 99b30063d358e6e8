/**
 * All Dockerfile rules over two realistic Dockerfiles (testdata/), with the expected findings worked out by hand from
 * Docker's semantics (line numbers counted in the files): the official-image idiom that builds from source and
 * removes its build dependencies in the same RUN must not be called a single-stage toolchain image or a cache leak.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Rule } from '../../core/rule.js';
import { runRule } from '../test-support/rule-tester.js';
import addUrl from './dockerfile-add-from-url/rule.js';
import baseLatest from './dockerfile-base-image-latest/rule.js';
import curlPipe from './dockerfile-curl-pipe-shell/rule.js';
import healthcheck from './dockerfile-missing-healthcheck/rule.js';
import packageCache from './dockerfile-package-cache/rule.js';
import rootUser from './dockerfile-root-user/rule.js';
import secrets from './dockerfile-secret-in-env-arg/rule.js';
import buildTools from './dockerfile-single-stage-build-tools/rule.js';

const RULES = [addUrl, baseLatest, curlPipe, healthcheck, packageCache, rootUser, secrets, buildTools] as Rule[];

function findings(name: string): string[] {
  const file = fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
  return RULES.flatMap((r) => runRule(r, [file]).findings.map((f) => `${f.ruleId}:${f.location?.line}`)).sort();
}

describe('Dockerfile rules on realistic Dockerfiles', () => {
  it('official-image style build from source', () => {
    assert.deepEqual(findings('official-style.Dockerfile'), ['dockerfile-missing-healthcheck:6', 'dockerfile-root-user:6']);
  });
  it('typical Node.js service with shortcuts', () => {
    assert.deepEqual(findings('node-service.Dockerfile'), [
      'dockerfile-curl-pipe-shell:7',
      'dockerfile-missing-healthcheck:2',
      'dockerfile-package-cache:6',
      'dockerfile-root-user:2',
      'dockerfile-secret-in-env-arg:3',
      'dockerfile-single-stage-build-tools:6',
    ]);
  });
});
