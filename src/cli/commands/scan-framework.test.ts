/** `kubeguard scan --framework …` as users run it (cold process): files and a live cluster (the in-process API server). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminUser, startServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';
import type { FakeApiServer } from '../../sources/cluster/test-support/api-server.js';

const ENTRY = fileURLToPath(new URL('../../sources/cluster/test-support/cli-entry.ts', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ENTRY, ...args], { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app}
spec:
  containers:
  - name: web
    image: nginx:1.27
    securityContext: {privileged: true}
`;

describe('kubeguard scan --framework', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-fw-'));
  const file = join(dir, 'pod.yaml');
  writeFileSync(file, PRIVILEGED);
  let server: FakeApiServer;
  let kubeconfig: string;
  before(async () => {
    const apiserver = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kube-apiserver-cp1', namespace: 'kube-system' },
      spec: { nodeName: 'cp1', containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.33.1', command: ['kube-apiserver', '--authorization-mode=Node,RBAC', '--profiling=false', '--client-ca-file=/etc/kubernetes/pki/ca.crt'] }] },
    };
    server = await startServer([apiserver]);
    kubeconfig = writeKubeconfig(server.url, [adminUser()]);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('files: the JSON contract, a FAIL with its findings, and exit 1', async () => {
    const r = await cli(['scan', file, '--framework', 'pss-restricted', '-o', 'json', '-q']);
    assert.equal(r.code, 1, r.stderr);
    const view = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(view), ['framework', 'version', 'controls', 'score']);
    assert.equal(view.framework, 'pss-restricted');
    for (const c of view.controls) assert.deepEqual(Object.keys(c), ['id', 'title', 'status', 'evidence', 'findings']);
    const privileged = view.controls.find((c: { id: string }) => c.id === 'privileged');
    assert.equal(privileged.status, 'FAIL');
    assert.equal(privileged.findings[0].resource.name, 'web');
    assert.equal(typeof view.score.total, 'number');
  });

  it('files: table, JUnit and PolicyReport forms; nsa and mitre views', async () => {
    const table = await cli(['scan', file, '--framework', 'nsa', '-q']);
    assert.match(table.stdout, /\[FAIL\] Pod security /);
    const junit = await cli(['scan', file, '--framework', 'mitre', '-o', 'junit', '-q']);
    assert.match(junit.stdout, /<testcase classname="mitre [^"]*" name="T1611 Escape to Host">\n\s+<failure/);
    const pr = await cli(['scan', file, '--framework', 'cis', '-o', 'policyreport', '-q']);
    assert.match(pr.stdout, /kind: ClusterPolicyReport\n/);
    assert.match(pr.stdout, /policy: cis-1\.12\/5\.2\.2\n(.*\n)*?\s+result: fail/);
  });

  it('refuses what it cannot do: an unknown framework, a report format the views do not have, --benchmark without cis', async () => {
    assert.equal((await cli(['scan', file, '--framework', 'iso27001', '-q'])).code, 2);
    assert.equal((await cli(['scan', file, '--framework', 'cis', '-o', 'sarif', '-q'])).code, 2);
    assert.equal((await cli(['scan', file, '--framework', 'nsa', '--benchmark', 'cis-1.12', '-q'])).code, 2);
  });

  it('cluster: the API server flags of the kube-system pod are judged with the benchmark, one result per id', async () => {
    const r = await cli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--framework', 'cis', '--benchmark', 'cis-1.11', '-o', 'json', '-q']);
    const view = JSON.parse(r.stdout);
    assert.equal(view.version, 'cis-1.11');
    const profiling = view.controls.find((c: { title: string; id: string }) => c.id.startsWith('1.2.') && /--profiling argument is set to false/.test(c.title));
    assert.equal(profiling.status, 'PASS');
    assert.match(profiling.evidence, /control-plane pods/);
    assert.equal(new Set(view.controls.map((c: { id: string }) => c.id)).size, view.controls.length);
  });
});
