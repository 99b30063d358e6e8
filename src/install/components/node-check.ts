/**
 * CIS node checks in the cluster (`kubeguard node install`, `kubeguard install --components node-check`): a DaemonSet
 * whose pod on each node runs `kubeguard node check --root /host --cluster --every 12h` and prints each result (a
 * PolicyReport) to its log. It needs the host's PID namespace (the kubelet's and the control plane's command lines)
 * and read-only views of the host files the benchmarks name; nothing is written to the host.
 */
import type { KubeObject } from '../../core/model.js';
import type { InstallComponent } from '../component.js';

export const NODE_CHECK_NAME = 'kubeguard-node-check';

/** Host paths the shipped benchmarks read (kube-bench cfg/config.yaml candidates), mounted read-only under /host. */
const HOST_PATHS: [string, string][] = [
  ['etc', '/etc'],
  ['var-lib-kubelet', '/var/lib/kubelet'],
  ['var-lib-etcd', '/var/lib/etcd'],
  ['var-lib-kube-proxy', '/var/lib/kube-proxy'],
  ['lib-systemd', '/lib/systemd'],
  ['var-snap', '/var/snap'],
  ['var-lib-rancher', '/var/lib/rancher'],
];

export const NODE_CHECK_HOST_EXCEPTIONS: Record<string, string> = {
  'pss-host-namespaces': "hostPID: the kubelet's and the control plane's command lines (flags, --config) are read from /proc of the host",
  'pss-host-path-volumes': 'read-only mounts of the host files the CIS benchmarks check (modes, owners, kubelet config)',
  'pss-restricted-volumes': 'the same read-only host mounts',
  'sensitive-host-path-mount': 'read-only /etc and the Kubernetes state directories: what the CIS node checks are about',
  'pss-capabilities-baseline': 'DAC_READ_SEARCH, to stat files in directories only their owner may search (etcd data, kubelet pki); all other capabilities dropped',
  'pss-capabilities-restricted': 'the same one capability',
  'pss-run-as-user': 'uid 0: the files checked are root-owned and the capability is lost at exec for another user',
  'pss-run-as-non-root': 'the same: uid 0',
};

export function nodeCheckObjects(o: { namespace: string; image: string; every?: string }): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': NODE_CHECK_NAME, 'app.kubernetes.io/part-of': 'kubeguard' };
  const meta = (name: string) => ({ name, namespace: o.namespace, labels });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NODE_CHECK_NAME), automountServiceAccountToken: false },
    // the Node object (version and platform labels) and the kubelet's /configz: read-only
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: NODE_CHECK_NAME, labels }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: NODE_CHECK_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NODE_CHECK_NAME },
      subjects: [{ kind: 'ServiceAccount', name: NODE_CHECK_NAME, namespace: o.namespace }],
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(NODE_CHECK_NAME),
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': NODE_CHECK_NAME } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }, { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(NODE_CHECK_NAME),
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': NODE_CHECK_NAME } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NODE_CHECK_NAME,
            automountServiceAccountToken: true,
            hostPID: true,
            tolerations: [{ operator: 'Exists' }],
            securityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'node-check',
                image: o.image,
                imagePullPolicy: 'IfNotPresent',
                args: ['node', 'check', '--root', '/host', '--cluster', '--every', o.every ?? '12h', '-o', 'policyreport'],
                env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
                resources: { requests: { cpu: '20m', memory: '96Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: false, capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] } },
                volumeMounts: HOST_PATHS.map(([name, path]) => ({ name, mountPath: `/host${path}`, readOnly: true })),
              },
            ],
            volumes: HOST_PATHS.map(([name, path]) => ({ name, hostPath: { path } })),
          },
        },
      },
    },
  ];
}

export const nodeCheckComponent: InstallComponent = {
  name: 'node-check',
  summary: 'CIS node checks (kube-bench definitions, our evaluator) on every node, repeated every 12h, results as PolicyReports in the pod logs',
  needs: [
    "hostPID, to read the kubelet's and the control plane's command lines in /proc",
    'read-only hostPath mounts of /etc, /var/lib/kubelet, /var/lib/etcd, /var/lib/kube-proxy, /lib/systemd (and the snap / rancher state directories where those distributions keep theirs)',
    'DAC_READ_SEARCH and uid 0, to stat root-only files; all other capabilities dropped, not privileged',
    'get on nodes (the node\'s version and platform labels)',
    'egress to DNS and the API server; no ingress',
  ],
  placement: 'host',
  hostExceptions: Object.entries(NODE_CHECK_HOST_EXCEPTIONS).map(([rule, reason]) => ({ rules: [rule], reason })),
  manifests: (s) => Promise.resolve(nodeCheckObjects({ namespace: s.namespace, image: s.image })),
};
