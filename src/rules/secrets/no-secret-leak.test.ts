/** Plants secrets in manifests and a Dockerfile and checks that no finding of these rules repeats any of them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Rule } from '../../core/rule.js';
import { runRule } from '../test-support/rule-tester.js';
import secretData from './secret-data-in-manifest/rule.js';
import configmap from './configmap-secret-like-value/rule.js';
import literalEnv from '../workload/secret-literal-env/rule.js';
import dockerSecrets from '../dockerfile/dockerfile-secret-in-env-arg/rule.js';
import addUrl from '../dockerfile/dockerfile-add-from-url/rule.js';

const files = ['planted.yaml', 'planted.Dockerfile'].map((f) => fileURLToPath(new URL(`./testdata/${f}`, import.meta.url)));
const planted = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/PlantedSecretValue[-\w]*|AKIAPLANTEDSECRET010|Zm9vYmFy[\w=]+/g)].map((m) => m[0]));

describe('secret values never appear in findings', () => {
  const rules: Rule[] = [secretData, configmap, literalEnv, dockerSecrets, addUrl] as Rule[];
  for (const rule of rules) {
    it(rule.id, () => {
      const run = runRule(rule, files);
      assert.ok(run.findings.length > 0, 'the planted file should trigger the rule');
      const text = JSON.stringify(run.findings);
      for (const s of planted) assert.ok(!text.includes(s) && !text.includes(s.slice(0, 12)), `${rule.id} leaked ${s.slice(0, 4)}…`);
    });
  }
  it('planted 12 distinct secrets', () => {
    assert.equal(new Set(planted).size, 12);
  });
});
