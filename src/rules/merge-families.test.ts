// One finding per problem rests on rules naming the field they judge (a missing field by its own pointer): findings of
// several rules on one field merge. This test runs every rule over every fixture, the examples and the real-world
// inputs, and holds each merge to a reviewed family of rules that judge the same thing — so a rule that points at a
// parent object for a missing field (and would swallow unrelated findings) fails here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';
import { loadPaths } from '../sources/files/load.js';
import { resolveNamespaces } from '../core/namespaces.js';
import { scan } from '../engine/scan.js';
import { RULES, ruleById } from '../engine/catalog.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { mergeFindings } from '../engine/merge-findings.js';

/** Rules that judge one field, and why their findings there are one problem. */
const FAMILIES: { rules: string[]; why: string }[] = [
  {
    rules: ['pss-host-path-volumes', 'pss-restricted-volumes', 'sensitive-host-path-mount', 'container-runtime-socket-mount'],
    why: 'a hostPath volume: PSS baseline forbids hostPath, restricted allows only some volume types, and what it mounts makes it sensitive or a runtime socket — removing the volume fixes all',
  },
  { rules: ['image-tag-latest', 'image-not-pinned-by-digest', 'image-registry-not-allowed'], why: 'one image reference' },
  { rules: ['pss-capabilities-baseline', 'pss-capabilities-restricted', 'net-raw-not-dropped'], why: 'one added capability (baseline and restricted both forbid it; NET_RAW added back)' },
  { rules: ['pss-capabilities-restricted', 'net-raw-not-dropped'], why: 'the capabilities drop list: dropping ALL drops NET_RAW' },
  { rules: ['pss-privileged', 'exposed-dangerous-workload'], why: 'a privileged container, exposed or not' },
  { rules: ['pss-host-namespaces', 'exposed-dangerous-workload'], why: 'a host namespace, exposed or not' },
  { rules: ['rbac-workload-token-cluster-admin', 'exposed-dangerous-workload', 'default-service-account'], why: 'the service account a pod runs as' },
  { rules: ['pss-proc-mount', 'pss-proc-mount-restricted'], why: 'procMount: the same control at both levels' },
  { rules: ['pss-seccomp-profile-baseline', 'pss-seccomp-profile-restricted'], why: 'seccompProfile.type: Unconfined breaks both levels' },
  {
    rules: [
      'rbac-wildcard-permissions', 'rbac-read-secrets', 'rbac-create-pods', 'rbac-pod-exec-attach', 'rbac-escalate-bind', 'rbac-impersonate',
      'rbac-create-sa-token', 'rbac-csr-approval', 'rbac-nodes-proxy', 'rbac-patch-nodes', 'rbac-write-role-bindings',
      'rbac-admission-webhook-write', 'rbac-create-persistent-volumes',
    ],
    why: 'one rule entry of a Role or ClusterRole: what it grants, judged by each risk it contains',
  },
  { rules: ['rbac-cluster-admin-binding', 'rbac-kube-system-workload-write'], why: "a binding's roleRef: full access includes kube-system's workloads" },
  { rules: ['dockerfile-base-image-latest', 'dockerfile-single-stage-build-tools'], why: 'the base image reference of FROM' },
  {
    rules: ['dockerfile-package-cache', 'dockerfile-single-stage-build-tools', 'dockerfile-curl-pipe-shell', 'dockerfile-add-from-url', 'dockerfile-secret-in-env-arg'],
    why: 'one instruction, fixed in one place',
  },
];

function fixtureFiles(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (!statSync(full).isDirectory()) continue;
    if (name === 'fixtures') out.push(...readdirSync(full).map((n) => join(full, n)));
    else fixtureFiles(full, out);
  }
  return out;
}

describe('findings merge only within reviewed families of rules judging one field', () => {
  it('every rule on every fixture, the examples and the real-world inputs', () => {
    for (const f of FAMILIES) for (const id of f.rules) assert.ok(ruleById(id), `unknown rule ${id} in FAMILIES`);
    const rules = resolveRules(RULES, { preset: 'strict' });
    const inputs = [...fixtureFiles(join(REPO_ROOT, 'src', 'rules'), []), join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'testdata', 'realworld')];
    const unreviewed: string[] = [];
    let merged = 0;
    for (const input of inputs) {
      const report = scan(resolveNamespaces(loadPaths([input]).resources).resources, { rules, now: new Date('2026-01-01') });
      for (const f of mergeFindings(report.findings, (id) => ruleById(id)?.category)) {
        const sameField = (f.related ?? []).filter((r) => r.path === f.path && r.resource.kind === f.resource.kind && r.resource.name === f.resource.name);
        const ids = [...new Set([f.ruleId, ...sameField.map((r) => r.ruleId)])];
        if (ids.length < 2) continue;
        merged++;
        if (!FAMILIES.some((fam) => ids.every((id) => fam.rules.includes(id)))) unreviewed.push(`${ids.sort().join(' + ')} at ${f.resource.kind}/${f.resource.name} ${f.path} (${input})`);
      }
    }
    assert.ok(merged > 20, `only ${merged} merges seen`);
    assert.deepEqual(unreviewed, []);
  });
});
