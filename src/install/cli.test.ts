/** `kubeguard install` as users run it: a cold CLI process, its exit codes, and our own scan of what it wrote. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../core/model.js';
import { kubeguard } from '../cli/test-support/run-cli.js';

const PINNED = 'registry.example.com/kubeguard/kubeguard@sha256:' + '0f'.repeat(32);

describe('kubeguard install (CLI)', () => {
  test('--output-dir writes a Kustomize base that `kubeguard scan --preset pss-restricted` passes (exit 0)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-install-cli-'));
    try {
      const r = kubeguard(['install', '--image', PINNED, '--namespace', 'security', '--output-dir', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /not pinned/);
      assert.deepEqual(readdirSync(dir).sort(), ['agent.yaml', 'kustomization.yaml', 'namespace.yaml', 'node-check.yaml', 'sensor.yaml', 'server.yaml', 'webhook.yaml']);
      const s = kubeguard(['scan', '--preset', 'pss-restricted', '--format', 'json', dir]);
      assert.equal(s.code, 0, s.stdout + s.stderr);
      const report = JSON.parse(s.stdout) as { findings: unknown[]; summary: { resources: number } };
      assert.deepEqual(report.findings, []);
      assert.ok(report.summary.resources >= 9, JSON.stringify(report.summary));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('stdout stream: the namespace first, the image given by digest everywhere, objects in the namespace asked for', () => {
    const r = kubeguard(['install', '--components', 'webhook', '--image', PINNED, '-n', 'security', '--cert-manager']);
    assert.equal(r.code, 0, r.stderr);
    const objects = yaml.loadAll(r.stdout) as KubeObject[];
    assert.equal(objects[0].kind, 'Namespace');
    assert.equal(objects[0].metadata?.name, 'security');
    const images = [...r.stdout.matchAll(/image: (\S+)/g)].map((m) => m[1]);
    assert.ok(images.length > 0);
    assert.ok(images.every((i) => i === PINNED), images.join(' '));
    assert.ok(objects.filter((o) => o.metadata?.namespace !== undefined).every((o) => o.metadata?.namespace === 'security'));
    assert.ok(!objects.some((o) => o.kind === 'Secret'), 'cert-manager: no private key in the manifests');
  });

  test('server install: the agent watches by default; --agent-mode cronjob installs the hourly CronJob instead', () => {
    const kinds = (args: string[]) => {
      const r = kubeguard(['server', 'install', '--image', PINNED, '--cert-manager', ...args]);
      assert.equal(r.code, 0, r.stderr);
      return (yaml.loadAll(r.stdout) as KubeObject[]).filter((o) => o.metadata?.name === 'kubeguard-agent').map((o) => o.kind).sort();
    };
    assert.deepEqual(kinds([]), ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount']);
    assert.deepEqual(kinds(['--agent-mode', 'cronjob']), ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'CronJob', 'NetworkPolicy', 'ServiceAccount']);
  });

  test('a tag is accepted with a note that it is not pinned', () => {
    const r = kubeguard(['install', '--image', 'ghcr.io/kubeguard/kubeguard:0.1.0', '--cert-manager']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /is not pinned by digest/);
  });

  test('usage errors exit 2: unknown component, bad namespace, bad image, both outputs', () => {
    const cases: [string[], RegExp][] = [
      [['install', '--components', 'webhook,nope'], /no component "nope" in this version \(available: webhook, sensor, server, agent, node-check\)/],
      [['install', '--namespace', 'Not_A_Label'], /--namespace must be a DNS label/],
      [['install', '--image', 'UPPER/case:tag'], /invalid image reference/],
      [['install', '--output', 'a', '--output-dir', 'b'], /--output or --output-dir, not both/],
      [['install', '--replicas', '0'], /--replicas must be an integer/],
      [['install', '--agent-mode', 'daily'], /--agent-mode/],
    ];
    for (const [args, message] of cases) {
      const r = kubeguard(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  test('--list names every component with what it needs', () => {
    const r = kubeguard(['install', '--list']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^webhook \(Pod Security restricted\)$/m);
    assert.match(r.stdout, /no RBAC/);
  });
});
