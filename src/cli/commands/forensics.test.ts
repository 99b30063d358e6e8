/**
 * `kubeguard forensics capture|quarantine` against the in-process API server the cluster tests use (real REST,
 * TLS, client-certificate auth), as a cold CLI process; the archive is checked with the system's tar and sha256sum.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test-support/conformance.js';
import { sampleCluster } from '../../sources/cluster/test-support/cluster-objects.js';
import { adminUser, startServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';
import type { FakeApiServer } from '../../sources/cluster/test-support/api-server.js';
import type { KubeObject } from '../../core/model.js';

const POD = 'web-7d4b9c8f6d-x2kq9';

/** The CLI as a child process, asynchronously: the API server answering it lives in this process. */
function kubeguard(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'run.ts'), ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const DIGEST = 'sha256:0f0e0d0c0b0a09080706050403020100ffeeddccbbaa99887766554433221100';

function objects(): KubeObject[] {
  const { objects } = sampleCluster();
  for (const o of objects) {
    if (o.kind === 'Pod' && o.metadata?.name === POD) {
      const status = o.status as { containerStatuses: Record<string, unknown>[] };
      status.containerStatuses[0] = { ...status.containerStatuses[0], image: 'docker.io/library/nginx:1.27', imageID: `docker.io/library/nginx@${DIGEST}`, containerID: 'containerd://3f2a', restartCount: 1 };
    }
  }
  return [
    ...objects,
    { apiVersion: 'v1', kind: 'Event', metadata: { name: `${POD}.17a1`, namespace: 'shop' }, involvedObject: { kind: 'Pod', name: POD, namespace: 'shop' }, reason: 'BackOff', message: 'Back-off restarting failed container web', type: 'Warning' },
    { apiVersion: 'v1', kind: 'Event', metadata: { name: 'other.17a2', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: 'other', namespace: 'shop' }, reason: 'Pulled', message: 'x', type: 'Normal' },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web-from-anywhere', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{}] } },
  ];
}

let server: FakeApiServer;
let kubeconfig: string;
let dir: string;

before(async () => {
  server = await startServer(objects(), { logs: { [`shop/${POD}/web`]: { current: '2024-05-02T10:00:00Z GET / 200\n', previous: '2024-05-02T09:59:00Z panic: boom\n' } } });
  kubeconfig = writeKubeconfig(server.url, [adminUser()]);
  dir = mkdtempSync(join(tmpdir(), 'kg-forensics-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('forensics capture', () => {
  it('writes a tar.gz whose SHA256SUMS verify, with spec, owners, events, logs, digests, RBAC, exposure, incidents', async () => {
    const events = join(dir, 'events.jsonl');
    writeFileSync(
      events,
      [
        { v: 1, kind: 'process.exec', time: '2024-05-02T10:00:00Z', workload: { namespace: 'shop', pod: POD, container: 'web' }, process: { name: 'xmrig', args: ['-o', 'pool.supportxmr.com:443'] } },
        { v: 1, kind: 'process.exec', time: '2024-05-02T10:00:01Z', workload: { namespace: 'billing', pod: 'api-0', container: 'api' }, process: { name: 'xmrig', args: [] } },
      ].map((e) => JSON.stringify(e)).join('\n'),
    );
    const out = join(dir, 'capture.tar.gz');
    const r = await kubeguard(['forensics', 'capture', `shop/${POD}`, '-o', out, '--kubeconfig', kubeconfig, '--events', events, '-q']);
    assert.equal(r.code, 0, r.stderr);
    const x = join(dir, 'x');
    spawnSync('mkdir', ['-p', x]);
    assert.equal(spawnSync('tar', ['-xzf', out, '-C', x]).status, 0);
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: x, encoding: 'utf8' });
    assert.equal(sums.status, 0, sums.stdout + sums.stderr);
    const manifest = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.missing, []);
    assert.deepEqual(manifest.target, { namespace: 'shop', pod: POD, uid: manifest.target.uid, workload: 'Deployment/shop/web' });
    assert.deepEqual(manifest.files.map((f: { path: string }) => f.path), ['pod.json', 'owners/1-ReplicaSet-web-7d4b9c8f6d.json', 'owners/2-Deployment-web.json', 'events.json', 'logs/web.log', 'logs/web.previous.log', 'images.json', 'rbac.json', 'network.json', 'posture.json', 'incidents.json', 'events.jsonl']);
    for (const f of manifest.files) assert.match(f.capturedAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(JSON.parse(readFileSync(join(x, 'pod.json'), 'utf8')).metadata.managedFields, undefined);
    assert.deepEqual(JSON.parse(readFileSync(join(x, 'events.json'), 'utf8')).map((e: { reason: string }) => e.reason), ['BackOff']);
    assert.match(readFileSync(join(x, 'logs', 'web.previous.log'), 'utf8'), /panic: boom/);
    assert.equal(JSON.parse(readFileSync(join(x, 'images.json'), 'utf8'))[0].imageID, `docker.io/library/nginx@${DIGEST}`);
    const rbac = JSON.parse(readFileSync(join(x, 'rbac.json'), 'utf8'));
    assert.equal(rbac.serviceAccount.name, 'shop/default');
    assert.equal(rbac.serviceAccount.tokenMounted, true);
    assert.equal(JSON.parse(readFileSync(join(x, 'network.json'), 'utf8')).exposure.internet, true, 'LoadBalancer web, no policy isolating it from the internet');
    assert.ok(JSON.parse(readFileSync(join(x, 'posture.json'), 'utf8')).findings.some((f: { ruleId: string }) => f.ruleId === 'pss-privileged'));
    assert.deepEqual(JSON.parse(readFileSync(join(x, 'incidents.json'), 'utf8')).map((i: { ruleId: string }) => i.ruleId), ['runtime-crypto-mining']);
    assert.equal(readFileSync(join(x, 'events.jsonl'), 'utf8').trim().split('\n').length, 1, 'only the events about this pod');
  });

  it('a pod that does not exist is an error and writes nothing', async () => {
    const out = join(dir, 'none.tar.gz');
    const r = await kubeguard(['forensics', 'capture', 'shop/nope', '-o', out, '--kubeconfig', kubeconfig, '--no-cluster-context', '-q']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /pods "nope" not found/);
    assert.equal(existsSync(out), false);
  });
});

describe('forensics quarantine', () => {
  it('dry run first: shows the patch, the server validates it, nothing changes; --apply changes it', async () => {
    const writesBefore = server.writes.length;
    const dry = await kubeguard(['forensics', 'quarantine', `shop/${POD}`, '--kubeconfig', kubeconfig]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run \(accepted by the API server; nothing changed/);
    assert.match(dry.stdout, /kubectl patch pod -n shop web-7d4b9c8f6d-x2kq9 --type merge -p '\{"metadata":\{"labels":\{"kubeguard\.io\/quarantine":"true"\}\}\}'/);
    assert.match(dry.stdout, /kind: NetworkPolicy[\s\S]*policyTypes:\n\s+- Ingress\n\s+- Egress/);
    assert.match(dry.stdout, /still allowing the pod's traffic: web-from-anywhere \(ingress\) — --detach/);
    const dryWrites = server.writes.slice(writesBefore);
    assert.deepEqual(dryWrites.map((w) => `${w.method} ${w.dryRun}`), ['PATCH true', 'POST true']);
    const applied = await kubeguard(['forensics', 'quarantine', `shop/${POD}`, '--kubeconfig', kubeconfig, '--detach', '--apply', '--format', 'json']);
    assert.equal(applied.code, 0, applied.stderr);
    const plan = JSON.parse(applied.stdout).plan;
    assert.deepEqual(plan.podPatch.metadata.labels, { 'kubeguard.io/quarantine': 'true', app: null, 'pod-template-hash': null });
    assert.deepEqual(plan.stillAllowedBy, { ingress: [], egress: [] }, 'detached: the app policy no longer selects it');
    const real = server.writes.slice(writesBefore + 2).filter((w) => !w.dryRun).map((w) => w.method);
    assert.deepEqual(real, ['PATCH', 'POST']);
  });
});
