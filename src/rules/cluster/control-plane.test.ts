/**
 * Control-plane rules against the CIS checks as kube-bench defines them (testdata/kube-bench,
 * cfg/cis-1.12): for each command line, a rule reports the finding mapped to a CIS id exactly when
 * kube-bench's test_items for that id fail. kube-bench's matching is re-implemented here from its documented
 * semantics (flag present / absent, compare eq|has|nothave on the flag value, bin_op and|or, ETCD_* env).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { KubeObject, NotEvaluated, Resource } from '../../core/model.js';
import type { Rule } from '../../core/rule.js';
import { refOf } from '../../core/ref.js';
import { ResourceIndex } from '../../core/resource-index.js';
import { conformanceDir } from '../../test-support/conformance.js';
import anonymous from './apiserver-anonymous-auth/rule.js';
import authz from './apiserver-authorization-mode/rule.js';
import admission from './apiserver-admission-plugins/rule.js';
import audit from './apiserver-audit-logging-missing/rule.js';
import encryption from './apiserver-encryption-at-rest-missing/rule.js';
import etcdRule from './etcd-client-cert-auth/rule.js';

interface TestItem {
  flag: string;
  env?: string;
  set?: boolean;
  compare?: { op: string; value: unknown };
}
interface Check {
  id: string;
  tests?: { bin_op?: 'and' | 'or'; test_items: TestItem[] };
}

function loadChecks(file: string): Map<string, Check> {
  const doc = load(readFileSync(join(conformanceDir('kube-bench', 'cfg', 'cis-1.12'), file), 'utf8')) as { groups: { checks: Check[] }[] };
  return new Map(doc.groups.flatMap((g) => g.checks).map((c) => [String(c.id), c]));
}

/** kube-bench's verdict for one check over a process command line (as `ps -ef` shows it) and environment. */
function kubeBenchPasses(check: Check, cmdline: string, env: Record<string, string> = {}): boolean {
  const results = check.tests!.test_items.map((t) => {
    const m = new RegExp(`(?:^|\\s)${t.flag}(?:[=\\s](\\S+))?(?=\\s|$)`).exec(cmdline);
    let found = m !== null;
    let value = m?.[1] ?? '';
    if (!found && t.env && env[t.env] !== undefined) {
      found = true;
      value = env[t.env];
    }
    if (t.set === false) return !found;
    if (!found) return false;
    if (!t.compare) return true;
    const expected = String(t.compare.value).toLowerCase() === 'true' || String(t.compare.value).toLowerCase() === 'false' ? String(t.compare.value).toLowerCase() : String(t.compare.value);
    switch (t.compare.op) {
      case 'eq':
        return value === expected;
      case 'has':
        return value.includes(expected);
      case 'nothave':
        return !value.includes(expected);
      default:
        throw new Error(`op ${t.compare.op} not used by the mapped checks`);
    }
  });
  return check.tests!.bin_op === 'or' ? results.some(Boolean) : results.every(Boolean);
}

function staticPod(cmdline: string, env: Record<string, string> = {}): KubeObject {
  const command = cmdline.split(/\s+/);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${command[0]}-cp-1`, namespace: 'kube-system', labels: { component: command[0], tier: 'control-plane' } },
    spec: { hostNetwork: true, containers: [{ name: command[0], image: `registry.k8s.io/${command[0]}:v1.31.2`, command, env: Object.entries(env).map(([name, value]) => ({ name, value })) }] },
  };
}

interface Outcome {
  messageIds: string[];
  notEvaluated: string[];
}

/** Runs one rule's check over one object with the others as context, capturing message ids. */
function run(rule: Rule, target: KubeObject, others: KubeObject[] = []): Outcome {
  const resources: Resource[] = [target, ...others].map((object) => ({ ref: refOf(object), object }));
  const out: Outcome = { messageIds: [], notEvaluated: [] };
  rule.check({ resources: new ResourceIndex(resources), report: (d) => void out.messageIds.push(d.messageId), couldNotEvaluate: (r) => void out.notEvaluated.push(r), notVisible: (r) => void out.notEvaluated.push(r) }, resources[0], rule.defaultOptions ?? {});
  return out;
}

const MAPPING: { cis: string; file: 'master.yaml' | 'etcd.yaml'; rule: Rule; messageIds: string[] }[] = [
  { cis: '1.2.1', file: 'master.yaml', rule: anonymous, messageIds: ['enabled', 'unset'] },
  { cis: '1.2.6', file: 'master.yaml', rule: authz, messageIds: ['alwaysAllow', 'unset'] },
  { cis: '1.2.7', file: 'master.yaml', rule: authz, messageIds: ['missingNode', 'unset'] },
  { cis: '1.2.8', file: 'master.yaml', rule: authz, messageIds: ['missingRbac', 'unset'] },
  { cis: '1.2.10', file: 'master.yaml', rule: admission, messageIds: ['alwaysAdmit'] },
  { cis: '1.2.14', file: 'master.yaml', rule: admission, messageIds: ['noNodeRestriction'] },
  { cis: '1.2.16', file: 'master.yaml', rule: audit, messageIds: ['noBackend'] },
  { cis: '1.2.27', file: 'master.yaml', rule: encryption, messageIds: ['missing'] },
  { cis: '2.1', file: 'etcd.yaml', rule: etcdRule, messageIds: ['noTls'] },
  { cis: '2.2', file: 'etcd.yaml', rule: etcdRule, messageIds: ['clientCertAuth'] },
  { cis: '2.3', file: 'etcd.yaml', rule: etcdRule, messageIds: ['autoTls'] },
  { cis: '2.5', file: 'etcd.yaml', rule: etcdRule, messageIds: ['peerCertAuth'] },
];

const KUBEADM_API = 'kube-apiserver --advertise-address=10.0.0.10 --allow-privileged=true --authorization-mode=Node,RBAC --client-ca-file=/etc/kubernetes/pki/ca.crt --enable-admission-plugins=NodeRestriction --etcd-servers=https://127.0.0.1:2379 --secure-port=6443 --tls-cert-file=/etc/kubernetes/pki/apiserver.crt --tls-private-key-file=/etc/kubernetes/pki/apiserver.key';
const API_CASES = [
  KUBEADM_API,
  `${KUBEADM_API} --anonymous-auth=false --audit-log-path=/var/log/audit.log --audit-policy-file=/etc/kubernetes/audit.yaml --encryption-provider-config=/etc/kubernetes/enc.yaml`,
  `${KUBEADM_API} --anonymous-auth=true`,
  KUBEADM_API.replace('--authorization-mode=Node,RBAC', '--authorization-mode=AlwaysAllow'),
  KUBEADM_API.replace('--authorization-mode=Node,RBAC', '--authorization-mode=RBAC'),
  KUBEADM_API.replace('--authorization-mode=Node,RBAC', '--authorization-mode=Node,Webhook'),
  KUBEADM_API.replace('--authorization-mode=Node,RBAC ', ''),
  KUBEADM_API.replace('--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=NodeRestriction,AlwaysAdmit'),
  KUBEADM_API.replace('--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=EventRateLimit'),
  KUBEADM_API.replace('--enable-admission-plugins=NodeRestriction ', ''),
  `${KUBEADM_API} --audit-log-path=/var/log/kubernetes/audit.log --audit-policy-file=/etc/kubernetes/audit.yaml`,
  'kube-apiserver --authorization-mode Node,RBAC --anonymous-auth false --enable-admission-plugins NodeRestriction --encryption-provider-config /etc/kubernetes/enc.yaml',
];
const KUBEADM_ETCD = 'etcd --advertise-client-urls=https://10.0.0.10:2379 --cert-file=/etc/kubernetes/pki/etcd/server.crt --client-cert-auth=true --data-dir=/var/lib/etcd --key-file=/etc/kubernetes/pki/etcd/server.key --listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379 --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt --peer-client-cert-auth=true --peer-key-file=/etc/kubernetes/pki/etcd/peer.key --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt';
const ETCD_CASES: { cmd: string; env?: Record<string, string> }[] = [
  { cmd: KUBEADM_ETCD },
  { cmd: KUBEADM_ETCD.replace('--client-cert-auth=true', '--client-cert-auth=false') },
  { cmd: KUBEADM_ETCD.replace(' --client-cert-auth=true', '') },
  { cmd: KUBEADM_ETCD.replace(' --client-cert-auth=true', ''), env: { ETCD_CLIENT_CERT_AUTH: 'true' } },
  { cmd: KUBEADM_ETCD.replace(' --cert-file=/etc/kubernetes/pki/etcd/server.crt', '') + ' --auto-tls=true' },
  { cmd: `${KUBEADM_ETCD} --auto-tls=false` },
  { cmd: KUBEADM_ETCD.replace(' --peer-client-cert-auth=true', '') },
  { cmd: 'etcd --data-dir=/var/lib/etcd --listen-client-urls=http://0.0.0.0:2379' },
];

describe('control-plane rules agree with kube-bench (CIS 1.12)', () => {
  const checks = { 'master.yaml': loadChecks('master.yaml'), 'etcd.yaml': loadChecks('etcd.yaml') };
  for (const m of MAPPING) {
    it(`CIS ${m.cis} → ${m.rule.id}`, () => {
      const check = checks[m.file].get(m.cis);
      assert.ok(check?.tests, `kube-bench has no automated test for ${m.cis}`);
      const cases = m.file === 'etcd.yaml' ? ETCD_CASES : API_CASES.map((cmd) => ({ cmd, env: undefined }));
      let fails = 0;
      for (const c of cases) {
        const expectedFail: boolean = !kubeBenchPasses(check, c.cmd, c.env);
        fails += expectedFail ? 1 : 0;
        const got = run(m.rule, staticPod(c.cmd, c.env)).messageIds.some((id) => m.messageIds.includes(id));
        assert.equal(got, expectedFail, `${m.cis} on: ${c.cmd} ${JSON.stringify(c.env ?? {})}`);
      }
      assert.ok(fails > 0 && fails < cases.length, 'the cases exercise both verdicts');
    });
  }
});

describe('control-plane visibility', () => {
  const kubeSystem: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } };
  const eksNode: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ip-10-0-1-23', labels: { 'eks.amazonaws.com/nodegroup': 'general' } } };
  const kubeadmConfig: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    - name: anonymous-auth\n      value: "true"\netcd:\n  external:\n    endpoints: [https://10.0.0.5:2379]\n' },
  };

  it('says "not visible" on a managed control plane, never pass or fail', () => {
    for (const rule of [anonymous, authz, admission, audit, encryption, etcdRule]) {
      const out = run(rule, kubeSystem, [eksNode]);
      assert.deepEqual(out.messageIds, []);
      assert.equal(out.notEvaluated.length, 1, rule.id);
      assert.match(out.notEvaluated[0], /^not visible: no (kube-apiserver|etcd) static pod or kubeadm ClusterConfiguration in kube-system \(nodes say EKS: a managed control plane\)$/);
    }
  });

  it('judges the kubeadm ClusterConfiguration when no static pod is visible, and external etcd is not visible', () => {
    assert.deepEqual(run(anonymous, kubeadmConfig, [kubeSystem]).messageIds, ['enabled']);
    assert.deepEqual(run(anonymous, kubeSystem, [kubeadmConfig]).notEvaluated, []);
    assert.deepEqual(run(etcdRule, kubeadmConfig, [kubeSystem]).messageIds, []);
    assert.match(run(etcdRule, kubeSystem, [kubeadmConfig]).notEvaluated[0], /not visible: no etcd/);
  });

  it('prefers the running static pod over the kubeadm ConfigMap', () => {
    const pod = staticPod(`${KUBEADM_API} --anonymous-auth=false`);
    assert.deepEqual(run(anonymous, kubeadmConfig, [pod]).messageIds, []);
    assert.deepEqual(run(anonymous, pod, [kubeadmConfig]).messageIds, []);
  });

  it('leaves pods that are not control-plane components alone', () => {
    const app = staticPod('nginx --port=80');
    assert.deepEqual(run(authz, app), { messageIds: [], notEvaluated: [] });
    const elsewhere = { ...staticPod(KUBEADM_API.replace('--authorization-mode=Node,RBAC', '--authorization-mode=AlwaysAllow')), metadata: { name: 'fake', namespace: 'tools' } };
    assert.deepEqual(run(authz, elsewhere).messageIds, []);
  });
});

void ({} as NotEvaluated);
