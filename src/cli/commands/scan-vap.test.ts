/**
 * `scan --cluster` / `scan --snapshot` audit the cluster's own ValidatingAdmissionPolicies against its objects
 * ("what would they deny today"), through the in-process API server.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject, ScanReport } from '../../core/model.js';
import type { FakeApiServer } from '../../sources/cluster/test-support/api-server.js';
import { adminUser, startServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';

const ENTRY = fileURLToPath(new URL('../../sources/cluster/test-support/cli-entry.ts', import.meta.url));
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ENTRY, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const meta = (name: string, namespace?: string, labels?: Record<string, string>) => ({ name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), uid: `uid-${name}`, resourceVersion: '1' });
const deployment = (name: string, ns: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(name, ns),
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'r.io/a:1' }] } } },
});
const OBJECTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('prod', undefined, { 'kubernetes.io/metadata.name': 'prod', env: 'prod' }) },
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('dev', undefined, { 'kubernetes.io/metadata.name': 'dev', env: 'dev' }) },
  deployment('api', 'prod', 1),
  deployment('web', 'prod', 3),
  deployment('toy', 'dev', 1),
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: meta('ha-replicas'),
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
      validations: [{ expression: 'object.spec.replicas >= 2', message: 'production deployments need at least 2 replicas' }],
    },
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: meta('ha-replicas-prod'),
    spec: { policyName: 'ha-replicas', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { env: 'prod' } } } },
  },
];

describe('cluster audit of its own ValidatingAdmissionPolicies', () => {
  let server: FakeApiServer;
  let kubeconfig: string;
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-vap-'));
  before(async () => {
    server = await startServer(OBJECTS);
    kubeconfig = writeKubeconfig(server.url, [adminUser()]);
  });
  after(() => server.close());

  it('scan --cluster and scan --snapshot report what the bound policy would deny today', async () => {
    const live = await cli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--quiet']);
    const report = JSON.parse(live.stdout) as ScanReport;
    const vap = report.findings.filter((f) => f.ruleId === 'vap:ha-replicas');
    assert.deepEqual(vap.map((f) => [f.resource.namespace, f.resource.name, f.message, f.severity]), [['prod', 'api', 'production deployments need at least 2 replicas', 'high']]);
    const file = join(dir, 'cluster.json');
    assert.equal((await cli(['snapshot', '-o', file, '--kubeconfig', kubeconfig, '--quiet'])).code, 0);
    const offline = JSON.parse((await cli(['scan', '--snapshot', file, '--format', 'json', '--quiet'])).stdout) as ScanReport;
    assert.deepEqual(offline.findings.filter((f) => f.ruleId === 'vap:ha-replicas').map((f) => f.resource.name), ['api']);
  });
});
