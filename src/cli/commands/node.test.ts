/**
 * `kubeguard node check` as users run it, a cold process: on a host root built here (files with modes and owners,
 * a passwd naming the owners, a kubelet config where no fixed path looks) and a real process named `kubelet` started
 * with real flags (a link named kubelet to this Node.js binary, idling in a script), found through /proc; and without
 * host access, through the in-process API server's node proxy (/configz). Expectations follow from cis-1.12's
 * definitions (benchmarks/kube-bench/cfg/cis-1.12/node.yaml), cited per check.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminUser, startServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';
import type { FakeApiServer } from '../../sources/cluster/test-support/api-server.js';

const ENTRY = fileURLToPath(new URL('../../sources/cluster/test-support/cli-entry.ts', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ENTRY, ...args], { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface Control {
  id: string;
  title: string;
  status: string;
  evidence: string;
  findings: { ruleId: string }[];
}
interface Report {
  framework: string;
  version: string;
  controls: Control[];
  score: { total: number | null; sections: { id: string; score: number | null }[] };
}
const control = (r: Report, id: string) => r.controls.find((c) => c.id === id)!;

describe('kubeguard node check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-node-'));
  const root = join(dir, 'host');
  const tag = `t${process.pid}${Date.now().toString(36)}`;
  let kubelet: ChildProcess;

  const file = (path: string, text: string, mode: number, uid = 0, gid = 0) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    chmodSync(full, mode);
    chownSync(full, uid, gid);
  };

  before(async () => {
    file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nkube:x:1000:1000::/home/kube:/bin/sh\n', 0o644);
    file('etc/group', 'root:x:0:\nkube:x:1000:\n', 0o644);
    // where no kube-bench candidate looks (cfg/config.yaml node.kubelet.confs): found only from --config
    file(`opt/${tag}/kubelet.yaml`, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\n', 0o644);
    file('etc/kubernetes/kubelet.conf', 'kind: Config\n', 0o600, 1000, 1000);
    file('etc/kubernetes/pki/ca.crt', '-----BEGIN CERTIFICATE-----\n', 0o644);
    file('etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '[Service]\n', 0o644);
    // a process named kubelet with real flags: a link named kubelet to this Node.js, idling in a script
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'kubelet'));
    writeFileSync(join(bin, 'idle.cjs'), 'setInterval(() => {}, 1 << 30);\n');
    kubelet = spawn(join(bin, 'kubelet'), [join(bin, 'idle.cjs'), `--config=/opt/${tag}/kubelet.yaml`, '--kubeconfig=/etc/kubernetes/kubelet.conf', '--protect-kernel-defaults=true', `--node-labels=kubeguard.io/test=${tag}`], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
  });
  after(() => {
    kubelet?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks the kubelet it finds in /proc against files under --root, as cis-1.12 defines', async () => {
    const r = await cli(['node', 'check', '--root', root, '--benchmark', 'cis-1.12', '--platform', 'generic', '--node', 'worker-1', '-o', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(Object.keys(report), ['framework', 'version', 'controls', 'score']);
    assert.deepEqual(Object.keys(report.controls[0]), ['id', 'title', 'status', 'evidence', 'findings']);
    assert.equal(report.version, 'cis-1.12');
    // 4.2.1: --anonymous-auth not on the command line, {.authentication.anonymous.enabled} false in the --config file
    assert.equal(control(report, '4.2.1').status, 'PASS');
    assert.match(control(report, '4.2.1').evidence, new RegExp(`\\$kubeletconf = /opt/${tag}/kubelet.yaml \\(--config on the kubelet command line \\(pid ${kubelet.pid}\\)\\)`));
    // 4.1.9: permissions of $kubeletconf, bitmask 600: 644 is wider → FAIL, with the finding behind it
    assert.equal(control(report, '4.1.9').status, 'FAIL');
    assert.deepEqual(control(report, '4.1.9').findings.map((f) => f.ruleId), ['cis-1.12/4.1.9']);
    // 4.1.5/4.1.6: --kubeconfig file 600 (PASS) owned by kube:kube (FAIL: root:root expected)
    assert.equal(control(report, '4.1.5').status, 'PASS');
    assert.equal(control(report, '4.1.6').status, 'FAIL');
    // 4.2.6 protect-kernel-defaults: true on the command line → PASS
    assert.equal(control(report, '4.2.6').status, 'PASS');
    // the control plane does not run here
    assert.equal(control(report, '1.2.1').status, 'NOT_APPLICABLE');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /benchmark cis-1.12/);
    const node = report.score.sections.find((s) => s.id === '4.1')!;
    assert.ok(node.score !== null && node.score > 0 && node.score < 100);
  });

  it('writes the same result as a table, JUnit and a PolicyReport', async () => {
    const args = ['node', 'check', '--root', root, '--benchmark', 'cis-1.12', '--platform', 'generic', '--node', 'worker-1', '-q'];
    const table = await cli([...args]);
    assert.match(table.stdout, /\[FAIL\] 4\.1\.9 /);
    assert.match(table.stdout, /cis cis-1\.12: \d+ PASS, \d+ FAIL/);
    const junit = await cli([...args, '-o', 'junit']);
    assert.match(junit.stdout, /<testcase classname="cis cis-1.12" name="4.1.9 [^"]*">\n\s+<failure /);
    const pr = await cli([...args, '-o', 'policyreport']);
    assert.match(pr.stdout, /kind: ClusterPolicyReport/);
    assert.match(pr.stdout, /policy: cis-1.12\/4.1.9\n(.*\n)*?\s+result: fail/);
  });

  it('chooses the managed profile from the kubelet’s labels: no FAIL for what the provider owns', async () => {
    const r = await cli(['node', 'check', '--root', root, '--platform', 'eks', '--node', 'worker-1', '-o', 'json', '-q']);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.version, 'eks-1.8.0');
    const owned = report.controls.filter((c) => /operates the control plane|provider's API/.test(c.evidence));
    assert.ok(owned.length > 0);
    for (const c of owned) assert.equal(c.status, 'NOT_APPLICABLE', c.id);
  });

  describe('without host access: the kubelet /configz through the API server', () => {
    let server: FakeApiServer;
    let kubeconfig: string;
    before(async () => {
      const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-2', labels: { 'kubernetes.io/hostname': 'worker-2' } }, spec: { providerID: 'kind://docker/x/worker-2' }, status: { nodeInfo: { kubeletVersion: 'v1.33.1' } } };
      server = await startServer([node], {
        nodeProxy: { 'worker-2': { configz: { kubeletconfig: { authentication: { anonymous: { enabled: true } }, readOnlyPort: 10255, protectKernelDefaults: true, streamingConnectionIdleTimeout: '4h0m0s' } } } },
      });
      kubeconfig = writeKubeconfig(server.url, [adminUser()]);
    });
    after(() => server?.close());

    it('answers config checks from /configz and says the rest could not be evaluated, never pass', async () => {
      const r = await cli(['node', 'check', '--api-only', '--node', 'worker-2', '--kubeconfig', kubeconfig, '-o', 'json', '-q']);
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(report.version, 'cis-1.12', 'v1.33 → cis-1.12');
      assert.equal(control(report, '4.2.1').status, 'FAIL', 'anonymous.enabled true in /configz');
      assert.equal(control(report, '4.2.6').status, 'PASS', 'protectKernelDefaults true');
      assert.equal(control(report, '4.1.9').status, 'COULD_NOT_EVALUATE', 'file modes are not visible through the API');
      assert.match(control(report, '4.1.9').evidence, /not visible through the API server/);
      assert.equal(control(report, '1.2.1').status, 'COULD_NOT_EVALUATE', 'the API server’s flags are not visible from the node proxy');
      assert.ok(!report.controls.some((c) => c.status === 'PASS' && /permissions|ownership/.test(c.title)));
      assert.equal(r.code, 1);
    });
  });
});
