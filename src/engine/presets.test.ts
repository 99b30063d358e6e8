// A preset named after a standard gates like the standard: `--preset pss-restricted` fails exactly where
// `kubeguard pss --level restricted` denies (and pss-baseline where baseline denies), object by object.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';
import { loadPaths } from '../sources/files/load.js';
import { pssReport } from '../analysis/pss/index.js';
import { formatRef } from '../core/ref.js';
import { RULES } from './catalog.js';
import { resolveRules } from './resolve-rules.js';
import { scan } from './scan.js';
import { exitCodeFor, failsRun } from './report.js';

function podSecurityFixtures(): string[] {
  const dir = join(REPO_ROOT, 'src', 'rules', 'pod-security');
  return readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .flatMap((d) => readdirSync(join(dir, d, 'fixtures')).map((f) => join(dir, d, 'fixtures', f)));
}

describe('standard presets gate like the standard', () => {
  const inputs = [...podSecurityFixtures(), join(REPO_ROOT, 'examples'), ...['microservices-demo', 'kube-prometheus', 'ingress-nginx', 'argocd'].map((d) => join(REPO_ROOT, 'testdata', 'realworld', d))];
  for (const level of ['baseline', 'restricted'] as const) {
    it(`--preset pss-${level} fails on exactly the objects pss --level ${level} denies`, () => {
      const rules = resolveRules(RULES, { preset: `pss-${level}` });
      let denied = 0;
      for (const input of inputs) {
        const { resources, errors } = loadPaths([input]);
        assert.ok(resources.length > 0 && errors.length === 0, `${input} did not load`);
        const deniedByPss = new Set(pssReport(resources, level).filter((r) => !r.allowed).map((r) => `${r.kind}/${r.namespace ? r.namespace + '/' : ''}${r.name}`));
        const report = scan(resources, { rules, now: new Date('2026-01-01') });
        // failOn critical: only the gate can fail the run
        const failing = new Set(report.findings.filter((f) => failsRun(f, 'critical', rules)).map((f) => formatRef(f.resource)));
        assert.deepEqual([...failing].sort(), [...deniedByPss].sort(), input);
        assert.equal(exitCodeFor(report, 'critical', rules), deniedByPss.size ? 1 : 0, input);
        denied += deniedByPss.size;
      }
      assert.ok(denied > 10, `only ${denied} denials seen`);
    });
  }

  it('combined with recommended, the other rules still fail on --fail-on only', () => {
    const rules = resolveRules(RULES, { preset: ['recommended', 'pss-restricted'] });
    const seccomp = rules.find((r) => r.rule.id === 'pss-seccomp-profile-restricted');
    const memory = rules.find((r) => r.rule.id === 'memory-limit-missing');
    assert.equal(seccomp?.fails, 'any');
    assert.equal(memory?.fails, undefined);
    // replaced at restricted by restricted volume types, but enabled by recommended too: --fail-on decides
    assert.equal(rules.find((r) => r.rule.id === 'pss-host-path-volumes')?.fails, undefined);
    assert.equal(resolveRules(RULES, { preset: 'pss-restricted' }).find((r) => r.rule.id === 'pss-host-path-volumes')?.fails, 'never');
  });
});
