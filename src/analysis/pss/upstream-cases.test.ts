/**
 * Table tests ported from upstream's policy/check_*_test.go (kubernetes/kubernetes,
 * staging/src/k8s.io/pod-security-admission/policy). Each expected reason/detail is upstream's own string;
 * our message is "<reason> (<detail>)".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta } from '../../core/model.js';
import type { Container, PodSpec } from '../../core/podspec.js';
import { evaluateCheck } from './index.js';

interface Case {
  name: string;
  spec: PodSpec;
  meta?: ObjectMeta;
  reason?: string;
  detail?: string;
}

function run(checkId: string, version: string, cases: Case[]): void {
  describe(`${checkId} (upstream check_${checkId}_test.go)`, () => {
    for (const tc of cases) {
      it(tc.name, () => {
        const v = evaluateCheck(checkId, tc.meta ?? {}, tc.spec, { version });
        if (tc.reason === undefined) assert.equal(v, undefined);
        else assert.equal(v?.message, `${tc.reason} (${tc.detail})`);
      });
    }
  });
}

const c = (name: string, securityContext?: Record<string, unknown>, extra: Partial<Container> = {}): Container =>
  securityContext === undefined ? { name, ...extra } : { name, securityContext, ...extra };

run('seLinuxOptions', 'v1.31', [
  {
    name: 'invalid pod and containers',
    spec: {
      securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } },
      containers: [
        c('a', { seLinuxOptions: { type: 'container_t' } }),
        c('b', { seLinuxOptions: { type: 'container_init_t' } }),
        c('c', { seLinuxOptions: { type: 'container_kvm_t' } }),
        c('d', { seLinuxOptions: { type: 'container_engine_t' } }),
        c('e', { seLinuxOptions: { type: 'bar' } }),
        c('f', { seLinuxOptions: { user: 'bar' } }),
        c('g', { seLinuxOptions: { role: 'baz' } }),
      ],
    },
    reason: 'seLinuxOptions',
    detail: 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
  },
  {
    name: 'invalid pod',
    spec: {
      securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } },
      containers: [c('a', { seLinuxOptions: { type: 'container_t' } }), c('d', { seLinuxOptions: { type: 'container_engine_t' } })],
    },
    reason: 'seLinuxOptions',
    detail: 'pod set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set',
  },
  {
    name: 'invalid containers',
    spec: {
      securityContext: { seLinuxOptions: {} },
      containers: [
        c('a', { seLinuxOptions: { type: 'container_t' } }),
        c('e', { seLinuxOptions: { type: 'bar' } }),
        c('f', { seLinuxOptions: { user: 'bar' } }),
        c('g', { seLinuxOptions: { role: 'baz' } }),
      ],
    },
    reason: 'seLinuxOptions',
    detail: 'containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: type "bar"; user may not be set; role may not be set',
  },
  { name: 'bad type', spec: { securityContext: { seLinuxOptions: { type: 'bad' } } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: type "bad"' },
  { name: 'bad user', spec: { securityContext: { seLinuxOptions: { user: 'bad' } } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: user may not be set' },
  { name: 'bad role', spec: { securityContext: { seLinuxOptions: { role: 'bad' } } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: role may not be set' },
]);

run('runAsNonRoot', 'v1.35', [
  { name: 'no explicit runAsNonRoot', spec: { containers: [c('a')] }, reason: 'runAsNonRoot != true', detail: 'pod or container "a" must set securityContext.runAsNonRoot=true' },
  {
    name: 'pod runAsNonRoot=false',
    spec: { securityContext: { runAsNonRoot: false }, containers: [c('a')] },
    reason: 'runAsNonRoot != true',
    detail: 'pod must not set securityContext.runAsNonRoot=false',
  },
  {
    name: 'containers runAsNonRoot=false',
    spec: {
      securityContext: { runAsNonRoot: true },
      containers: [c('a'), c('b', {}), c('c', { runAsNonRoot: false }), c('d', { runAsNonRoot: false }), c('e', { runAsNonRoot: true }), c('f', { runAsNonRoot: true })],
    },
    reason: 'runAsNonRoot != true',
    detail: 'containers "c", "d" must not set securityContext.runAsNonRoot=false',
  },
  {
    name: 'pod nil, container fallthrough',
    spec: { containers: [c('a'), c('b', {}), c('d', { runAsNonRoot: true }), c('e', { runAsNonRoot: true })] },
    reason: 'runAsNonRoot != true',
    detail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
  },
  { name: 'host users false allowed', spec: { hostUsers: false } },
]);

run('seccompProfile_restricted', 'v1.19', [
  {
    name: 'no explicit seccomp',
    spec: { containers: [c('a')] },
    reason: 'seccompProfile',
    detail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
  },
  {
    name: 'pod seccomp invalid',
    spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [c('a')] },
    reason: 'seccompProfile',
    detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
  },
  {
    name: 'containers seccomp invalid',
    spec: {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        c('a'), c('b', {}),
        c('c', { seccompProfile: { type: 'Unconfined' } }), c('d', { seccompProfile: { type: 'Unconfined' } }),
        c('e', { seccompProfile: { type: 'RuntimeDefault' } }), c('f', { seccompProfile: { type: 'RuntimeDefault' } }),
      ],
    },
    reason: 'seccompProfile',
    detail: 'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
  },
  {
    name: 'pod nil, container fallthrough',
    spec: { containers: [c('a'), c('b', {}), c('d', { seccompProfile: { type: 'RuntimeDefault' } }), c('e', { seccompProfile: { type: 'RuntimeDefault' } })] },
    reason: 'seccompProfile',
    detail: 'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
  },
]);

run('hostPorts', 'v1.0', [
  {
    name: 'one container, one host port',
    spec: { containers: [c('a', undefined, { ports: [{ hostPort: 0 }] }), c('b', undefined, { ports: [{ hostPort: 0 }, { hostPort: 20 }] })] },
    reason: 'hostPort',
    detail: 'container "b" uses hostPort 20',
  },
  {
    name: 'multiple containers, multiple host port',
    spec: {
      containers: [
        c('a', undefined, { ports: [{ hostPort: 0 }] }),
        c('b', undefined, { ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] }),
        c('c', undefined, { ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] }),
      ],
    },
    reason: 'hostPort',
    // Upstream's field errors for this case: spec.containers[1].ports[1|2], spec.containers[2].ports[1|2].
    detail: 'containers "b", "c" use hostPorts 10, 20, 30',
  },
]);

describe('hostPorts field paths (upstream withFieldErrors expectations)', () => {
  it('points at each offending hostPort', () => {
    const spec: PodSpec = {
      containers: [
        c('a', undefined, { ports: [{ hostPort: 0 }] }),
        c('b', undefined, { ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] }),
        c('c', undefined, { ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] }),
      ],
    };
    assert.deepEqual(evaluateCheck('hostPorts', {}, spec)?.paths, [
      '/spec/containers/1/ports/1/hostPort', '/spec/containers/1/ports/2/hostPort',
      '/spec/containers/2/ports/1/hostPort', '/spec/containers/2/ports/2/hostPort',
    ]);
  });
});

describe('restrictedVolumes (upstream check_restrictedVolumes_test.go)', () => {
  it('flags every known restricted type, and an unrecognised source as "unknown"', () => {
    const allowed = ['emptyDir', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'configMap', 'projected', 'csi', 'ephemeral', 'image'];
    const restricted = [
      'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
      'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
      'portworxVolume', 'scaleIO', 'storageos',
    ];
    const volumes = [
      ...allowed.map((t, i) => ({ name: `a${i + 1}`, [t]: {} })),
      ...restricted.map((t, i) => ({ name: `b${i + 1}`, [t]: {} })),
      // Upstream's c1 is an empty VolumeSource (its unit test bypasses API defaulting, which would make it emptyDir);
      // the equivalent for a manifest is a source key the API does not know.
      { name: 'c1', notAVolumeSource: {} },
    ];
    const v = evaluateCheck('restrictedVolumes', {}, { containers: [c('a')], volumes });
    assert.equal(
      v?.message,
      'restricted volume types (volumes ' +
        '"b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1"' +
        ' use restricted volume types ' +
        '"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
        '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume")',
    );
  });
});

describe('appArmorProfile annotations (upstream check_appArmorProfile_test.go)', () => {
  const annotated = (annotations: Record<string, string>): ObjectMeta => ({ annotations });
  it('allows runtime/default, localhost/*, empty, and unrelated annotations', () => {
    for (const meta of [
      annotated({ 'container.apparmor.security.beta.kubernetes.io/test': 'runtime/default', env: 'prod' }),
      annotated({ 'container.apparmor.security.beta.kubernetes.io/test': 'localhost/sec-profile01', env: 'dev' }),
      annotated({ env: 'dev' }),
      {},
    ]) {
      assert.equal(evaluateCheck('appArmorProfile', meta, {}), undefined);
    }
  });
  it('forbids bogus, unconfined and unknown values (including the bare prefix key)', () => {
    const meta = annotated({
      'container.apparmor.security.beta.kubernetes.io/': 'bogus',
      'container.apparmor.security.beta.kubernetes.io/a': '',
      'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
      'container.apparmor.security.beta.kubernetes.io/d': 'localhost/foo',
      'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
      'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
    });
    const v = evaluateCheck('appArmorProfile', meta, {});
    assert.equal(v?.message.startsWith('forbidden AppArmor profiles ('), true);
    assert.deepEqual([...(v?.paths ?? [])].sort(), [
      '/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1',
      '/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1e',
      '/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1f',
    ]);
  });
});

run('hostNamespaces', 'v1.0', [
  {
    name: 'multiple host namespaces',
    spec: { hostNetwork: true, hostIPC: true, hostPID: true },
    reason: 'host namespaces',
    detail: 'hostNetwork=true, hostPID=true, hostIPC=true',
  },
]);

run('hostPathVolumes', 'v1.0', [
  {
    name: 'host path volumes',
    spec: { volumes: [{ name: 'a', hostPath: {} }, { name: 'b', hostPath: {} }, { name: 'c', emptyDir: {} }] },
    reason: 'hostPath volumes',
    detail: 'volumes "a", "b"',
  },
]);

run('sysctls', 'v1.0', [
  { name: 'forbidden sysctls', spec: { securityContext: { sysctls: [{ name: 'a' }, { name: 'b' }] } }, reason: 'forbidden sysctls', detail: 'a, b' },
  {
    name: 'new supported sysctls not supported (1.0)',
    spec: { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1024-4999' }] } },
    reason: 'forbidden sysctls',
    detail: 'net.ipv4.ip_local_reserved_ports',
  },
]);

run('sysctls', 'v1.27', [
  { name: 'forbidden sysctls', spec: { securityContext: { sysctls: [{ name: 'a' }, { name: 'b' }] } }, reason: 'forbidden sysctls', detail: 'a, b' },
  { name: 'new supported sysctls', spec: { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1024-4999' }] } } },
]);

run('capabilities_baseline', 'v1.0', [
  {
    name: 'multiple containers',
    spec: { containers: [c('a', { capabilities: { add: ['FOO', 'BAR'] } }), c('b', { capabilities: { add: ['BAR', 'BAZ'] } })] },
    reason: 'non-default capabilities',
    detail: 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add',
  },
]);

run('windowsHostProcess', 'v1.0', [
  {
    name: 'host process',
    spec: {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [
        c('a'), c('b', {}), c('c', { windowsOptions: {} }), c('d', { windowsOptions: { hostProcess: false } }),
        c('e', { windowsOptions: { hostProcess: true } }), c('f', { windowsOptions: { hostProcess: true } }),
      ],
    },
    reason: 'hostProcess',
    detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true',
  },
]);

const procMountContainers = (): Container[] => [
  c('a'), c('b', {}), c('c', { procMount: 'Default' }), c('d', { procMount: 'Unmasked' }), c('e', { procMount: 'other' }),
];
run('procMount', 'v1.35', [
  {
    name: 'procMount with hostUsers: true',
    spec: { containers: procMountContainers(), hostUsers: true },
    reason: 'procMount',
    detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
  },
  { name: 'procMount with hostUsers: false', spec: { containers: procMountContainers(), hostUsers: false } },
]);
