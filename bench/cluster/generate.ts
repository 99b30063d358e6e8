/**
 * A synthetic cluster at the Kubernetes scalability limits, written straight to a snapshot file (one object per
 * line, never all in memory): namespaces, nodes, Deployments → ReplicaSets → Pods shaped like API output
 * (defaulted fields, ownerReferences, status), Services (some LoadBalancer/NodePort), ServiceAccounts, RBAC,
 * NetworkPolicies, and a kubeadm control plane. A share of workloads carries risky settings so rules fire.
 */
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { KubeObject } from '../../src/core/model.js';
import { FOOTER, SNAPSHOT_FORMAT, headerLine } from '../../src/sources/cluster/snapshot-format.js';

export interface ClusterSize {
  namespaces: number;
  pods: number;
  services: number;
  nodes: number;
  podsPerDeployment: number;
}

export const SCALE_LIMIT: ClusterSize = { namespaces: 3000, pods: 150_000, services: 10_000, nodes: 1500, podsPerDeployment: 10 };

const TS = '2026-03-02T09:14:07Z';
let uidCounter = 0;
const uid = (): string => `00000000-0000-4000-8000-${(uidCounter++).toString(16).padStart(12, '0')}`;
let rv = 10_000;
const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: uid(),
  resourceVersion: String(rv++),
  creationTimestamp: TS,
  ...extra,
});

function containers(i: number): Record<string, unknown>[] {
  const risky = i % 50 === 0;
  return [
    {
      name: 'app',
      image: `registry.example.com/team-${i % 40}/app:${1 + (i % 7)}.${i % 13}.0`,
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
      resources: i % 3 === 0 ? {} : { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      securityContext: risky ? { privileged: true } : { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    },
    {
      name: 'proxy',
      image: 'envoyproxy/envoy:v1.31.2',
      resources: { requests: { cpu: '50m', memory: '64Mi' } },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    },
  ];
}

function podSpec(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    containers: containers(i),
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: i % 4 === 0 ? 'default' : 'app',
    serviceAccount: i % 4 === 0 ? 'default' : 'app',
    securityContext: i % 50 === 0 ? {} : { seccompProfile: { type: 'RuntimeDefault' } },
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    ...(i % 97 === 0 ? { hostNetwork: true } : {}),
    ...extra,
  };
}

/** Every object of the synthetic cluster, in snapshot order. */
export function* syntheticCluster(size: ClusterSize): Generator<KubeObject> {
  const nsNames = Array.from({ length: size.namespaces }, (_, i) => `team-${i}`);
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...nsNames]) {
    const i = nsNames.indexOf(name);
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
    if (i >= 0 && i % 3 === 0) labels['pod-security.kubernetes.io/enforce'] = 'baseline';
    if (i >= 0 && i % 5 === 0) labels['istio-injection'] = 'enabled';
    yield { apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, undefined, { labels }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
  }
  for (let n = 0; n < size.nodes; n++) {
    yield {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(`node-${n}`, undefined, { labels: { 'kubernetes.io/hostname': `node-${n}`, 'kubernetes.io/os': 'linux', ...(n < 3 ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } }),
      spec: { podCIDR: `10.${(n >> 8) & 255}.${n & 255}.0/24` },
      status: { nodeInfo: { kubeletVersion: 'v1.31.2', containerRuntimeVersion: 'containerd://1.7.18' }, addresses: [{ type: 'InternalIP', address: `172.16.${(n >> 8) & 255}.${n & 255}` }], capacity: { cpu: '32', memory: '131900000Ki', pods: '110' } },
    };
  }
  for (let n = 0; n < 3; n++) {
    const node = `node-${n}`;
    const mirror = { annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': 'h' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: uid(), controller: true }] };
    yield { apiVersion: 'v1', kind: 'Pod', metadata: meta(`kube-apiserver-${node}`, 'kube-system', { labels: { component: 'kube-apiserver', tier: 'control-plane' }, ...mirror }), spec: { hostNetwork: true, nodeName: node, containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.31.2', command: ['kube-apiserver', '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', '--secure-port=6443', '--etcd-servers=https://127.0.0.1:2379'] }] }, status: { phase: 'Running' } };
    yield { apiVersion: 'v1', kind: 'Pod', metadata: meta(`etcd-${node}`, 'kube-system', { labels: { component: 'etcd', tier: 'control-plane' }, ...mirror }), spec: { hostNetwork: true, nodeName: node, containers: [{ name: 'etcd', image: 'registry.k8s.io/etcd:3.5.15-0', command: ['etcd', '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key', '--client-cert-auth=true', '--peer-client-cert-auth=true', '--listen-client-urls=https://127.0.0.1:2379'] }] }, status: { phase: 'Running' } };
  }
  // RBAC: cluster roles and bindings, plus a Role/RoleBinding per namespace
  yield { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('cluster-admin'), rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] };
  for (let r = 0; r < 200; r++) {
    yield { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(`operator-${r}`), rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'configmaps'], verbs: ['get', 'list', 'watch'] }, { apiGroups: [`op${r}.example.com`], resources: ['*'], verbs: ['*'] }] };
    yield { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta(`operator-${r}`), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `operator-${r}` }, subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: nsNames[r % nsNames.length] }] };
  }
  yield { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('ci-admin'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: nsNames[7] }] };

  const podsPerNs = Math.ceil(size.pods / size.namespaces);
  const servicesPerNs = Math.ceil(size.services / size.namespaces);
  let pods = 0;
  let services = 0;
  let w = 0;
  for (let k = 0; k < nsNames.length; k++) {
    const ns = nsNames[k];
    yield { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', ns) };
    yield { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('app', ns), automountServiceAccountToken: k % 2 === 0 ? false : undefined };
    yield { apiVersion: 'v1', kind: 'Secret', metadata: meta('db', ns), type: 'Opaque', kubeguardRedactedData: { password: 'hmac-sha256:' + '0'.repeat(64) } };
    yield { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('app', ns), rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'] }] };
    yield { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('app', ns), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: ns }] };
    yield { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny', ns), spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    const nsPods = Math.min(podsPerNs, size.pods - pods);
    const deployments = Math.ceil(nsPods / size.podsPerDeployment);
    for (let d = 0; d < deployments; d++, w++) {
      const app = `app-${d}`;
      const labels = { app, 'app.kubernetes.io/part-of': ns };
      const dep = meta(app, ns, { generation: 1, labels, annotations: { 'deployment.kubernetes.io/revision': '1' } });
      const replicas = Math.min(size.podsPerDeployment, nsPods - d * size.podsPerDeployment);
      const spec = podSpec(w);
      yield { apiVersion: 'apps/v1', kind: 'Deployment', metadata: dep, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 }, status: { observedGeneration: 1, replicas, readyReplicas: replicas, availableReplicas: replicas } };
      const hash = (w * 2654435761 >>> 0).toString(36).slice(0, 10);
      const rsLabels = { ...labels, 'pod-template-hash': hash };
      const rs = meta(`${app}-${hash}`, ns, { labels: rsLabels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: dep.uid, controller: true, blockOwnerDeletion: true }] });
      yield { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rs, spec: { replicas, selector: { matchLabels: rsLabels }, template: { metadata: { labels: rsLabels }, spec } }, status: { replicas, readyReplicas: replicas, availableReplicas: replicas } };
      for (let p = 0; p < replicas; p++, pods++) {
        yield {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: meta(`${app}-${hash}-${p.toString(36).padStart(5, 'x')}`, ns, { generateName: `${app}-${hash}-`, labels: rsLabels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}`, uid: rs.uid, controller: true, blockOwnerDeletion: true }] }),
          spec: { ...spec, nodeName: `node-${pods % size.nodes}`, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] },
          status: { phase: 'Running', hostIP: '172.16.0.1', podIP: `10.${(pods >> 16) & 255}.${(pods >> 8) & 255}.${pods & 255}`, startTime: TS, qosClass: 'Burstable', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, started: true, state: { running: { startedAt: TS } } }] },
        };
      }
      if (d < servicesPerNs && services < size.services) {
        services++;
        const type = services % 20 === 0 ? 'LoadBalancer' : services % 33 === 0 ? 'NodePort' : 'ClusterIP';
        yield { apiVersion: 'v1', kind: 'Service', metadata: meta(app, ns, { labels }), spec: { type, selector: labels, ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }], clusterIP: `10.96.${(services >> 8) & 255}.${services & 255}`, sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' } };
      }
    }
  }
}

/** Writes the cluster as a snapshot (gzip when the name ends in .gz); returns the object count. */
export async function writeSyntheticSnapshot(file: string, size: ClusterSize): Promise<number> {
  const out = createWriteStream(file);
  let sink: Writable = out;
  if (file.endsWith('.gz')) {
    const gz = createGzip({ level: 1 });
    gz.pipe(out);
    sink = gz;
  }
  const header = { format: SNAPSHOT_FORMAT, context: 'synthetic', server: 'https://synthetic:6443', collectedAt: TS, failures: [], objects: 0, secretValues: 'hmac-sha256-unstored-key', tool: { name: 'kubeguard-bench', version: '0' } };
  let buf = headerLine(header as never) + '\n';
  let count = 0;
  let prev: string | undefined;
  for (const o of syntheticCluster(size)) {
    if (prev !== undefined) buf += prev + ',\n';
    prev = JSON.stringify(o);
    count++;
    if (buf.length > 1 << 20) {
      if (!sink.write(buf)) await once(sink, 'drain');
      buf = '';
    }
  }
  buf += (prev ?? '') + '\n' + FOOTER + '\n';
  sink.end(buf);
  await once(out, 'finish');
  return count;
}
