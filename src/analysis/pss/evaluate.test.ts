/**
 * Unit cases for semantics the upstream fixtures do not pin down. Expected answers come from upstream's
 * policy/check_*.go and registry.go (cited per case), not from this implementation's output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta } from '../../core/model.js';
import type { PodSpec } from '../../core/podspec.js';
import { checksFor, evaluateCheck, evaluatePod, MAX_POLICY_MINOR, PssVersionError } from './index.js';

const BASELINE_1_0 = [
  'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'privileged',
  'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
];

/** A pod that passes restricted at every version (upstream's minimal restricted pod). */
function restrictedPod(): PodSpec {
  const sc = () => ({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  return {
    containers: [{ name: 'c', image: 'i', securityContext: sc() }],
    initContainers: [{ name: 'init', image: 'i', securityContext: sc() }],
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  };
}

function checksDenying(meta: ObjectMeta | undefined, spec: PodSpec, level: 'baseline' | 'restricted', version: string): string[] {
  return evaluatePod(meta, spec, { level, version }).violations.map((v) => v.check).sort();
}

describe('check selection (registry.go)', () => {
  it('baseline v1.0 runs the eleven original baseline checks', () => {
    assert.deepEqual(checksFor('baseline', 'v1.0').sort(), BASELINE_1_0);
  });

  it('restricted v1.0 replaces hostPathVolumes with restrictedVolumes and adds runAsNonRoot', () => {
    const expected = [...BASELINE_1_0.filter((c) => c !== 'hostPathVolumes'), 'restrictedVolumes', 'runAsNonRoot'].sort();
    assert.deepEqual(checksFor('restricted', 'v1.0').sort(), expected);
  });

  it('restricted latest: 12 baseline checks minus the 4 overridden, plus the 7 restricted checks', () => {
    assert.deepEqual(checksFor('restricted', 'latest').sort(), [
      'allowPrivilegeEscalation', 'appArmorProfile', 'capabilities_restricted', 'hostNamespaces', 'hostPorts',
      'hostProbesAndHostLifecycle', 'privileged', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot',
      'runAsUser', 'seLinuxOptions', 'seccompProfile_restricted', 'sysctls', 'windowsHostProcess',
    ]);
  });

  it('capabilities_baseline still runs at restricted v1.21 (capabilities_restricted starts at v1.22)', () => {
    assert.ok(checksFor('restricted', 'v1.21').includes('capabilities_baseline'));
    assert.ok(!checksFor('restricted', 'v1.22').includes('capabilities_baseline'));
  });

  it('"latest" and future versions evaluate as the newest check version (v1.37)', () => {
    assert.equal(MAX_POLICY_MINOR, 37);
    assert.deepEqual(checksFor('restricted', 'v1.99'), checksFor('restricted', 'latest'));
    const spec: PodSpec = { containers: [{ name: 'c' }], securityContext: { sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '1' }] } };
    assert.equal(evaluatePod({}, spec, { level: 'baseline', version: 'v1.99' }).allowed, true);
    assert.equal(evaluatePod({}, spec, { level: 'baseline', version: 'v1.36' }).allowed, false);
  });

  it('rejects malformed versions with a typed error', () => {
    for (const bad of ['1.30', 'v2.0', 'v1.x', 'v1.030', '']) {
      assert.throws(() => checksFor('baseline', bad), PssVersionError, bad);
    }
  });
});

describe('user namespaces (hostUsers: false, KEP-127; relaxations unconditional from v1.35)', () => {
  it('runAsNonRoot and runAsUser are skipped from v1.35, enforced before', () => {
    const spec = restrictedPod();
    spec.securityContext = { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } };
    spec.hostUsers = false;
    assert.deepEqual(checksDenying({}, spec, 'restricted', 'v1.35'), []);
    assert.deepEqual(checksDenying({}, spec, 'restricted', 'v1.34'), ['runAsNonRoot', 'runAsUser']);
  });

  it('baseline procMount allows Unmasked in a user namespace from v1.35; procMount_restricted never does', () => {
    const spec: PodSpec = { hostUsers: false, containers: [{ name: 'c', securityContext: { procMount: 'Unmasked' } }] };
    assert.equal(evaluatePod({}, spec, { level: 'baseline', version: 'v1.35' }).allowed, true);
    assert.deepEqual(checksDenying({}, spec, 'baseline', 'v1.34'), ['procMount']);
    assert.equal(evaluateCheck('procMount', {}, spec), undefined);
    assert.equal(evaluateCheck('procMount_restricted', {}, spec)?.check, 'procMount_restricted');
  });

  it('capabilities are not relaxed for user-namespace pods', () => {
    const spec: PodSpec = { hostUsers: false, containers: [{ name: 'c', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] };
    assert.deepEqual(checksDenying({}, spec, 'baseline', 'latest'), ['capabilities_baseline']);
  });
});

describe('Windows pods (spec.os.name=windows exempt from Linux-only restricted checks from v1.25)', () => {
  const windows = (): PodSpec => ({ os: { name: 'windows' }, containers: [{ name: 'c' }], securityContext: { runAsNonRoot: true } });
  it('v1.25: allowed without allowPrivilegeEscalation, capabilities or seccomp', () => {
    assert.deepEqual(checksDenying({}, windows(), 'restricted', 'v1.25'), []);
  });
  it('v1.24: those three checks still apply', () => {
    assert.deepEqual(checksDenying({}, windows(), 'restricted', 'v1.24'), ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
  });
});

describe('volumes (check_restrictedVolumes.go)', () => {
  it('image volumes pass restricted at every version (patched into the 1.0 variant)', () => {
    const spec = restrictedPod();
    spec.volumes = [{ name: 'v', image: { reference: 'r' } }];
    assert.equal(evaluatePod({}, spec, { level: 'restricted', version: 'v1.0' }).allowed, true);
  });
  it('a source-less volume is defaulted to emptyDir and passes; an unrecognised source is "unknown"', () => {
    const spec = restrictedPod();
    spec.volumes = [{ name: 'plain' }, { name: 'odd', someFutureSource: {} }];
    const v = evaluatePod({}, spec, { level: 'restricted', version: 'latest' }).violations;
    assert.deepEqual(v.map((x) => x.message), ['restricted volume types (volume "odd" uses restricted volume type "unknown")']);
    assert.deepEqual(v[0].paths, ['/spec/volumes/1/someFutureSource']);
  });
  it('hostPath is reported by restrictedVolumes (not hostPathVolumes) at restricted', () => {
    const spec = restrictedPod();
    spec.volumes = [{ name: 'h', hostPath: { path: '/' } }];
    assert.deepEqual(checksDenying({}, spec, 'restricted', 'latest'), ['restrictedVolumes']);
    assert.deepEqual(checksDenying({}, spec, 'baseline', 'latest'), ['hostPathVolumes']);
  });
});

describe('version-dependent allowed values', () => {
  it('seccomp: annotations judged before v1.19, fields from v1.19', () => {
    const meta = { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } };
    const spec: PodSpec = { containers: [{ name: 'c' }] };
    assert.deepEqual(checksDenying(meta, spec, 'baseline', 'v1.18'), ['seccompProfile_baseline']);
    assert.deepEqual(checksDenying(meta, spec, 'baseline', 'v1.19'), []);
    const field: PodSpec = { containers: [{ name: 'c', securityContext: { seccompProfile: { type: 'Unconfined' } } }] };
    assert.deepEqual(checksDenying({}, field, 'baseline', 'v1.18'), []);
    assert.deepEqual(checksDenying({}, field, 'baseline', 'v1.19'), ['seccompProfile_baseline']);
  });
  it('container seccomp annotations are keyed by container name (docker/default and localhost/* allowed)', () => {
    const spec: PodSpec = { containers: [{ name: 'a' }, { name: 'b' }] };
    const ok = { annotations: { 'container.seccomp.security.alpha.kubernetes.io/a': 'docker/default', 'container.seccomp.security.alpha.kubernetes.io/b': 'localhost/p' } };
    assert.deepEqual(checksDenying(ok, spec, 'baseline', 'v1.10'), []);
    const bad = { annotations: { 'container.seccomp.security.alpha.kubernetes.io/b': '' } };
    assert.deepEqual(checksDenying(bad, spec, 'baseline', 'v1.10'), ['seccompProfile_baseline']);
  });
  it('SELinux type container_engine_t is allowed from v1.31', () => {
    const spec: PodSpec = { containers: [{ name: 'c', securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }] };
    assert.deepEqual(checksDenying({}, spec, 'baseline', 'v1.30'), ['seLinuxOptions']);
    assert.deepEqual(checksDenying({}, spec, 'baseline', 'v1.31'), []);
  });
  it('probe / lifecycle hosts are forbidden from v1.34', () => {
    const spec: PodSpec = { containers: [{ name: 'c', lifecycle: { preStop: { tcpSocket: { host: 'h', port: 1 } } } }] };
    assert.deepEqual(checksDenying({}, spec, 'baseline', 'v1.33'), []);
    assert.deepEqual(checksDenying({}, spec, 'baseline', 'v1.34'), ['hostProbesAndHostLifecycle']);
  });
  it('AppArmor fields are judged at every version; Unconfined is forbidden', () => {
    const spec: PodSpec = { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'c' }] };
    assert.deepEqual(checksDenying({}, spec, 'baseline', 'v1.0'), ['appArmorProfile']);
  });
});

describe('containers and paths', () => {
  it('ephemeral containers are checked too', () => {
    const spec: PodSpec = { containers: [{ name: 'c' }], ephemeralContainers: [{ name: 'debug', securityContext: { privileged: true } }] };
    const v = evaluatePod({}, spec, { level: 'baseline' }).violations;
    assert.deepEqual(v.map((x) => [x.check, x.paths]), [['privileged', ['/spec/ephemeralContainers/0/securityContext/privileged']]]);
  });
  it('hostPort 0 is the same as unset', () => {
    const spec: PodSpec = { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 0 }] }] };
    assert.equal(evaluatePod({}, spec, { level: 'baseline' }).allowed, true);
  });
  it('paths are absolute in the object when specPath is given; annotations under the matching metadata', () => {
    const spec: PodSpec = { containers: [{ name: 'app' }], initContainers: [{ name: 'setup', securityContext: { privileged: true } }] };
    const meta = { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } };
    const v = evaluatePod(meta, spec, { level: 'baseline', specPath: '/spec/jobTemplate/spec/template/spec' }).violations;
    const byCheck = Object.fromEntries(v.map((x) => [x.check, x.paths]));
    assert.deepEqual(byCheck, {
      appArmorProfile: ['/spec/jobTemplate/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app'],
      privileged: ['/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/privileged'],
    });
  });
  it('a missing required field is named by its own pointer (reports locate it at its nearest existing ancestor)', () => {
    const spec = restrictedPod();
    spec.containers = [{ name: 'bare', image: 'i' }];
    const v = evaluatePod({}, spec, { level: 'restricted' }).violations;
    const byCheck = Object.fromEntries(v.map((x) => [x.check, x.paths]));
    assert.deepEqual(byCheck, {
      allowPrivilegeEscalation: ['/spec/containers/0/securityContext/allowPrivilegeEscalation'],
      capabilities_restricted: ['/spec/containers/0/securityContext/capabilities/drop'],
    });
  });
  it('messages follow upstream: "<reason> (<detail>)"', () => {
    const spec: PodSpec = { containers: [{ name: 'a', securityContext: { privileged: true } }, { name: 'b', securityContext: { privileged: true } }] };
    assert.deepEqual(evaluatePod({}, spec, { level: 'baseline' }).violations[0].message,
      'privileged (containers "a", "b" must not set securityContext.privileged=true)');
  });
});
