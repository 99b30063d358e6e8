/**
 * A small cluster as the API returns it (kubectl get -o json on a kubeadm 1.31 cluster, trimmed): uids,
 * resourceVersions, creationTimestamps, managedFields, defaulted pod-spec fields, ownerReferences
 * (Deployment → ReplicaSet → Pod, mirror pods → Node), status blocks. Used by the cluster-source tests.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../../core/model.js';

let rv = 4000;
const CREATED = '2026-03-02T09:14:07Z';

function uid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function meta(kind: string, name: string, namespace?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: uid(`${kind}/${namespace ?? ''}/${name}`),
    resourceVersion: String(rv++),
    creationTimestamp: CREATED,
    managedFields: [
      { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: CREATED, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {} } } } },
    ],
    ...extra,
  };
}

function ownerRef(apiVersion: string, kind: string, name: string, namespace?: string): Record<string, unknown> {
  return { apiVersion, kind, name, uid: uid(`${kind}/${namespace ?? ''}/${name}`), controller: true, blockOwnerDeletion: true };
}

/** Fields the API server defaults on every container. */
function container(name: string, image: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    image,
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: image.endsWith(':latest') ? 'Always' : 'IfNotPresent',
    ...extra,
  };
}

function podSpec(containers: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    containers,
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    ...extra,
  };
}

function runningPodStatus(names: string[]): Record<string, unknown> {
  return {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: CREATED })),
    hostIP: '172.18.0.2',
    podIP: '10.244.0.12',
    podIPs: [{ ip: '10.244.0.12' }],
    startTime: CREATED,
    qosClass: 'BestEffort',
    containerStatuses: names.map((name) => ({ name, state: { running: { startedAt: CREATED } }, lastState: {}, ready: true, restartCount: 0, started: true })),
  };
}

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta('Namespace', name, undefined, { labels: { 'kubernetes.io/metadata.name': name, ...labels } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function staticPod(component: string, node: string, command: string[]): KubeObject {
  const name = `${component}-${node}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('Pod', name, 'kube-system', {
      labels: { component, tier: 'control-plane' },
      annotations: { 'kubernetes.io/config.hash': 'a1b2c3', 'kubernetes.io/config.mirror': 'a1b2c3', 'kubernetes.io/config.seen': CREATED, 'kubernetes.io/config.source': 'file' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: uid(`Node//${node}`), controller: true }],
    }),
    spec: podSpec([container(component, `registry.k8s.io/${component}:v1.31.2`, { command })], {
      nodeName: node,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    }),
    status: runningPodStatus([component]),
  };
}

export interface SampleCluster {
  objects: KubeObject[];
  /** Decoded values of the sample Secret (the tests check none of them leaks). */
  secretValues: string[];
}

export function sampleCluster(): SampleCluster {
  const node = 'kind-control-plane';
  const secretValues = ['s3cr3t-P@ssw0rd', 'AKIAIOSFODNN7EXAMPLE'];
  const objects: KubeObject[] = [
    namespace('default'),
    namespace('kube-system'),
    namespace('kube-public'),
    namespace('shop'),
    namespace('payments', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta('Node', node, undefined, { labels: { 'kubernetes.io/hostname': node, 'node-role.kubernetes.io/control-plane': '' } }),
      spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
      status: { nodeInfo: { kubeletVersion: 'v1.31.2', containerRuntimeVersion: 'containerd://1.7.18', osImage: 'Debian GNU/Linux 12 (bookworm)' }, addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] },
    },
    staticPod('kube-apiserver', node, [
      'kube-apiserver',
      '--advertise-address=172.18.0.2',
      '--allow-privileged=true',
      '--authorization-mode=Node,RBAC',
      '--client-ca-file=/etc/kubernetes/pki/ca.crt',
      '--enable-admission-plugins=NodeRestriction',
      '--etcd-servers=https://127.0.0.1:2379',
      '--secure-port=6443',
      '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
      '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
    ]),
    staticPod('etcd', node, ['etcd', '--advertise-client-urls=https://172.18.0.2:2379', '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--client-cert-auth=true', '--key-file=/etc/kubernetes/pki/etcd/server.key', '--listen-client-urls=https://127.0.0.1:2379,https://172.18.0.2:2379', '--peer-client-cert-auth=true']),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('ServiceAccount', 'default', 'shop'),
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('ServiceAccount', 'deployer', 'shop'),
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('Secret', 'db-credentials', 'shop', {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"apiVersion":"v1","kind":"Secret","stringData":{"password":"${secretValues[0]}"}}\n` },
      }),
      type: 'Opaque',
      data: { password: Buffer.from(secretValues[0]).toString('base64'), 'aws-key': Buffer.from(secretValues[1]).toString('base64') },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('Deployment', 'web', 'shop', { generation: 3, labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } }),
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: podSpec([container('web', 'nginx:1.27', { ports: [{ containerPort: 80, protocol: 'TCP' }], securityContext: { privileged: true } })]) },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: CREATED, lastTransitionTime: CREATED, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta('ReplicaSet', 'web-7d4b9c8f6d', 'shop', {
        generation: 1,
        labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' },
        annotations: { 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3', 'deployment.kubernetes.io/revision': '2' },
        ownerReferences: [ownerRef('apps/v1', 'Deployment', 'web', 'shop')],
      }),
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' } },
        template: { metadata: { creationTimestamp: null, labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' } }, spec: podSpec([container('web', 'nginx:1.27', { ports: [{ containerPort: 80, protocol: 'TCP' }], securityContext: { privileged: true } })]) },
      },
      status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
    },
    ...['x2kq9', 'p8w4m'].map(
      (suffix): KubeObject => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta('Pod', `web-7d4b9c8f6d-${suffix}`, 'shop', {
          generateName: 'web-7d4b9c8f6d-',
          labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' },
          ownerReferences: [ownerRef('apps/v1', 'ReplicaSet', 'web-7d4b9c8f6d', 'shop')],
        }),
        spec: podSpec(
          [container('web', 'nginx:1.27', { ports: [{ containerPort: 80, protocol: 'TCP' }], securityContext: { privileged: true }, volumeMounts: [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] })],
          {
            serviceAccountName: 'default',
            serviceAccount: 'default',
            nodeName: node,
            tolerations: [
              { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
              { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
            ],
            volumes: [{ name: 'kube-api-access-abcde', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } }],
          },
        ),
        status: runningPodStatus(['web']),
      }),
    ),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('Service', 'web', 'shop', { labels: { app: 'web' } }),
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 31380 }],
        clusterIP: '10.96.12.34',
        clusterIPs: ['10.96.12.34'],
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        allocateLoadBalancerNodePorts: true,
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta('ClusterRole', 'cluster-admin', undefined, { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } }),
      rules: [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['*'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta('ClusterRoleBinding', 'deployer-admin', undefined),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'shop' }],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: meta('ValidatingWebhookConfiguration', 'kyverno-resource-validating-webhook-cfg', undefined, { labels: { 'app.kubernetes.io/part-of': 'kyverno', 'webhook.kyverno.io/managed-by': 'kyverno' } }),
      webhooks: [
        {
          name: 'validate.kyverno.svc-fail',
          clientConfig: { service: { namespace: 'kyverno', name: 'kyverno-svc', path: '/validate/fail', port: 443 }, caBundle: 'LS0tLS1CRUdJTi==' },
          rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: ['*'], apiVersions: ['*'], resources: ['pods'], scope: '*' }],
          failurePolicy: 'Ignore',
          matchPolicy: 'Equivalent',
          namespaceSelector: {},
          objectSelector: {},
          sideEffects: 'NoneOnDryRun',
          timeoutSeconds: 10,
          admissionReviewVersions: ['v1'],
        },
      ],
    },
  ];
  return { objects, secretValues };
}
