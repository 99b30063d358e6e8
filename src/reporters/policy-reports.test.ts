import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { Ajv } from 'ajv';
import { REPO_ROOT } from '../test-support/conformance.js';
import { loadPaths } from '../sources/files/load.js';
import { scan } from '../engine/scan.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { RULES } from '../engine/catalog.js';
import type { Finding, ScanReport } from '../core/model.js';
import { fingerprint } from './fingerprint.js';
import { REPORTERS, renderedToString } from './index.js';
import { MAX_BYTES, MAX_RESULTS } from './policy-reports.js';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  source?: string;
  summary: Record<string, number>;
  results: { policy: string; result: string; severity?: string; message?: string; resources?: { namespace?: string; kind: string }[]; properties?: Record<string, string> }[];
}

/** The served version's schema of a vendored CRD (testdata/policy-reports/SOURCE.md). */
function crdSchema(file: string, version: string): object {
  const crd = yaml.load(readFileSync(join(REPO_ROOT, 'testdata', 'policy-reports', file), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
  return crd.spec.versions.find((v) => v.name === version)!.schema.openAPIV3Schema;
}

const ajv = new Ajv({ strict: false, allErrors: true });
const validators: Record<string, ReturnType<Ajv['compile']>> = {
  PolicyReport: ajv.compile(crdSchema('wgpolicyk8s.io_policyreports.yaml', 'v1alpha2')),
  ClusterPolicyReport: ajv.compile(crdSchema('wgpolicyk8s.io_clusterpolicyreports.yaml', 'v1alpha2')),
  Report: ajv.compile(crdSchema('openreports.io_reports.yaml', 'v1alpha1')),
  ClusterReport: ajv.compile(crdSchema('openreports.io_clusterreports.yaml', 'v1alpha1')),
};

function render(format: 'policyreport' | 'openreports', report: ScanReport): Doc[] {
  const docs = yaml.loadAll(renderedToString(REPORTERS[format](report, { color: false, rules: RULES, now: new Date('2026-06-01T00:00:00Z') }))) as Doc[];
  for (const d of docs) {
    const validate = validators[d.kind];
    assert.ok(validate, `a kind the CRDs define: ${d.kind}`);
    assert.ok(validate(d), `${d.kind} ${d.metadata.name} is valid: ${ajv.errorsText(validate.errors)}`);
    assert.match(d.metadata.name, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    assert.ok(d.metadata.name.length <= 253);
  }
  return docs;
}

function examplesReport(): ScanReport {
  const loaded = loadPaths([join(REPO_ROOT, 'examples', 'manifests')]);
  return scan(loaded.resources, { rules: resolveRules(RULES, {}), now: new Date('2026-06-01'), errors: loaded.errors });
}

describe('policyreport and openreports reporters', () => {
  for (const [format, apiVersion, namespaced, cluster] of [
    ['policyreport', 'wgpolicyk8s.io/v1alpha2', 'PolicyReport', 'ClusterPolicyReport'],
    ['openreports', 'openreports.io/v1alpha1', 'Report', 'ClusterReport'],
  ] as const) {
    it(`${format}: one ${namespaced} per namespace and one ${cluster}, valid against the CRD, every finding once`, () => {
      const report = examplesReport();
      const docs = render(format, report);
      assert.ok(docs.every((d) => d.apiVersion === apiVersion));
      assert.deepEqual(docs.filter((d) => d.kind === cluster).map((d) => d.metadata.name), ['kubeguard-cluster']);
      const namespaces = [...new Set(report.findings.filter((f) => f.resource.namespace).map((f) => f.resource.namespace!))].sort();
      assert.deepEqual(docs.filter((d) => d.kind === namespaced).map((d) => d.metadata.namespace), namespaces);
      for (const d of docs.filter((x) => x.kind === namespaced)) assert.ok(d.results.every((r) => r.resources!.every((x) => x.namespace === d.metadata.namespace)), 'results sit in their object’s namespace');
      const fails = docs.flatMap((d) => d.results.filter((r) => r.result === 'fail'));
      assert.equal(fails.length, report.findings.length);
      assert.deepEqual(fails.map((r) => r.properties!.fingerprint).sort(), report.findings.map(fingerprint).sort());
      for (const d of docs) assert.equal(d.summary.fail, d.results.filter((r) => r.result === 'fail').length);
      if (format === 'openreports') assert.ok(docs.every((d) => d.source === 'kubeguard'));
    });
  }

  it('bounds every report: a large namespace is split into numbered parts', () => {
    const findings: Finding[] = Array.from({ length: 2500 }, (_, i) => ({
      ruleId: 'pss-privileged',
      severity: 'high',
      message: `container ${i} is privileged ` + 'x'.repeat(i === 0 ? 5000 : 300),
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'big', name: `p${String(i).padStart(5, '0')}` },
      path: '/spec/containers/0/securityContext/privileged',
    }));
    const report: ScanReport = { ...examplesReport(), findings, notEvaluated: [], suppressed: [] };
    const big = render('policyreport', report).filter((d) => d.metadata.namespace === 'big');
    assert.deepEqual(big.map((d) => d.metadata.name), ['kubeguard-big', 'kubeguard-big-2', 'kubeguard-big-3']);
    assert.deepEqual(big.map((d) => d.metadata.labels['kubeguard.io/report-part']), ['1-of-3', '2-of-3', '3-of-3']);
    assert.equal(big.reduce((n, d) => n + d.results.length, 0), 2500);
    for (const d of big) {
      assert.ok(d.results.length <= MAX_RESULTS);
      assert.ok(JSON.stringify(d).length < MAX_BYTES + 64 * 1024, 'about a mebibyte at most');
    }
    assert.ok(big[0].results.every((r) => r.message!.length <= 1024), 'long messages are cut');
  });

  it('could-not-evaluate is error, an exception is skip', () => {
    const report: ScanReport = {
      ...examplesReport(),
      findings: [],
      notEvaluated: [{ ruleId: 'rbac-wildcard', resource: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'a', name: 'sa' }, reason: 'Roles could not be listed' }],
      suppressed: [{ ruleId: 'pss-privileged', resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'p' }, reason: 'CNI', source: 'config', owner: 'net', expires: '2027-01-01' }],
    };
    const [a] = render('openreports', report).filter((d) => d.metadata.namespace === 'a');
    assert.deepEqual(a.summary, { pass: 0, fail: 0, warn: 0, error: 1, skip: 1 });
    const skip = a.results.find((r) => r.result === 'skip')!;
    assert.deepEqual(skip.properties, { exception: 'config', owner: 'net', expires: '2027-01-01' });
  });
});
