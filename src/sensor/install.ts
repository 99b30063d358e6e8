/**
 * The manifests `kubeguard sensor install` prints: one DaemonSet with the least the sensor needs, and why.
 * - hostPID: the processes of the node's pods are visible only in the host's PID namespace (/proc).
 * - hostNetwork: the process connector answers only in the host's network namespace, and conntrack events are
 *   per namespace (the node's is where pods' connections are routed and tracked).
 * - capabilities: all dropped, then NET_ADMIN (subscribe to the process connector and to ctnetlink events),
 *   SYS_PTRACE (read /proc/PID/exe and mountinfo of other users' processes), DAC_READ_SEARCH (read overlay upper
 *   directories owned by other users). Not privileged; no privilege escalation; read-only root filesystem.
 * - runs as root (uid 0): capabilities of a non-root user are dropped on exec unless ambient capabilities are set,
 *   which Kubernetes cannot request.
 * - read-only hostPath mounts of the container runtimes' state (containerd, CRI-O) under /host, where overlay
 *   upper directories live; nothing else of the host filesystem.
 * - a ServiceAccount that may get, list and watch pods. RBAC cannot restrict a list to one node's pods (rules
 *   scope by resource, name and namespace, never by field); the sensor itself asks only for its node's pods
 *   (fieldSelector spec.nodeName=$NODE_NAME), but the token could list every pod's spec. Pods hold no Secret
 *   values, but that is the honest extent of the grant.
 * Every rule these choices break is named, with its reason, in the kubeguard.io/ignore annotation, so
 * `kubeguard scan` of the output is clean and says what was waived.
 */
import yaml from 'js-yaml';
import type { KubeObject } from '../core/model.js';

export const SENSOR_NAME = 'kubeguard-sensor';

export interface SensorInstallOptions {
  namespace: string;
  image: string;
  /** Where events go: `-` (the container's log) or a `runtime serve` /events URL. */
  output: string;
  clusterName?: string;
  /** Create the namespace (labelled for Pod Security `privileged`: host namespaces need it). */
  createNamespace: boolean;
}

/**
 * The Pod Security (and host-path) rules the DaemonSet breaks on purpose, with why: its host exceptions in the
 * `kubeguard install` registry (src/install/components/sensor.ts) and part of its ignore annotation here.
 */
export const SENSOR_HOST_EXCEPTIONS: Record<string, string> = {
  'pss-host-namespaces': 'hostPID to see every pod\'s processes in /proc, hostNetwork because the process connector answers only in the host network namespace and conntrack events are per namespace',
  'pss-capabilities-baseline': 'NET_ADMIN subscribes to the process connector and conntrack events, SYS_PTRACE reads /proc/PID/exe and mountinfo of other users, DAC_READ_SEARCH reads overlay upper dirs',
  'pss-capabilities-restricted': 'the same three capabilities, all others dropped',
  'pss-host-path-volumes': 'read-only mounts of the container runtimes\' state, where overlay upper dirs (drift evidence) live',
  'pss-restricted-volumes': 'the same read-only runtime state mounts',
  'sensitive-host-path-mount': 'read-only, and only the runtimes\' state directories',
  'pss-run-as-user': 'a non-root user loses added capabilities at exec without ambient capabilities, which Kubernetes cannot request',
  'pss-run-as-non-root': 'the same: capabilities need uid 0 here',
};

/** Every rule the DaemonSet breaks on purpose (the strictest preset), with why: its kubeguard.io/ignore annotation. */
export const SENSOR_WAIVERS: Record<string, string> = {
  ...SENSOR_HOST_EXCEPTIONS,
  'service-account-token-automounted': 'the sensor lists and watches the pods of its node',
  'liveness-probe-missing': 'the sensor serves no port to probe; it exits when a source fails and the kubelet restarts it',
  'readiness-probe-missing': 'no Service routes to the sensor',
};

/** Rules the Namespace breaks on purpose. */
export const NAMESPACE_WAIVERS: Record<string, string> = {
  'namespace-pod-security-level': 'host namespaces and host paths need the privileged level; only the sensor runs here',
  'namespace-plaintext-east-west': 'the sensor accepts no connections; its events go over TLS when the output is https',
};

const LABELS = { 'app.kubernetes.io/name': SENSOR_NAME, 'app.kubernetes.io/part-of': 'kubeguard' };

/** `sensor install`: the Namespace when asked, and the sensor's objects with every waiver annotated. */
export function sensorManifests(o: SensorInstallOptions): KubeObject[] {
  const labels = LABELS;
  const out: KubeObject[] = [];
  if (o.createNamespace) {
    out.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: o.namespace,
        annotations: { 'kubeguard.io/ignore': ignoreAnnotation(NAMESPACE_WAIVERS) },
        labels: {
          ...labels,
          // host namespaces and host paths are outside baseline: enforce privileged, and be warned at baseline
          'pod-security.kubernetes.io/enforce': 'privileged',
          'pod-security.kubernetes.io/warn': 'baseline',
          'pod-security.kubernetes.io/audit': 'baseline',
        },
      },
    });
  }
  const annotation = ignoreAnnotation(SENSOR_WAIVERS);
  for (const obj of sensorObjects(o)) {
    out.push(obj.kind === 'DaemonSet' ? { ...obj, metadata: { ...obj.metadata, annotations: { 'kubeguard.io/ignore': annotation } } } : obj);
  }
  return out;
}

/**
 * The sensor's own objects in `o.namespace`: ServiceAccount, ClusterRole (pods: get, list, watch) and binding,
 * a NetworkPolicy (egress to DNS, the API server and the events receiver; no ingress — a hostNetwork pod is left
 * alone by most CNIs, so it states the intent and holds where a CNI applies it) and the DaemonSet.
 */
export function sensorObjects(o: Omit<SensorInstallOptions, 'createNamespace'>): KubeObject[] {
  const labels = LABELS;
  const meta = (name: string) => ({ name, namespace: o.namespace, labels });
  const out: KubeObject[] = [];
  out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(SENSOR_NAME), automountServiceAccountToken: false });
  out.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: SENSOR_NAME, labels },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
  });
  out.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: SENSOR_NAME, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: SENSOR_NAME },
    subjects: [{ kind: 'ServiceAccount', name: SENSOR_NAME, namespace: o.namespace }],
  });
  const args = ['sensor', 'run', '--cluster', '--host-root', '/host', '--output', o.output];
  if (o.clusterName) args.push('--cluster-name', o.clusterName);
  const runtimeDirs = [
    ['containerd', '/var/lib/containerd'],
    ['crio', '/var/lib/containers'],
  ] as const;
  const receiverPort = /^https?:\/\//i.test(o.output) ? Number(new URL(o.output).port || (o.output.startsWith('https') ? 443 : 80)) : undefined;
  out.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(SENSOR_NAME),
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': SENSOR_NAME } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [
        { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }, ...(receiverPort && receiverPort !== 443 ? [{ protocol: 'TCP', port: receiverPort }] : [])] },
      ],
    },
  });
  out.push({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(SENSOR_NAME),
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': SENSOR_NAME } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: SENSOR_NAME,
          automountServiceAccountToken: true,
          hostPID: true,
          hostNetwork: true,
          dnsPolicy: 'ClusterFirstWithHostNet',
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists' }],
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'sensor',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              args,
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              resources: { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
              securityContext: {
                privileged: false,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: false,
                capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'SYS_PTRACE', 'DAC_READ_SEARCH'] },
              },
              volumeMounts: runtimeDirs.map(([name, path]) => ({ name, mountPath: `/host${path}`, readOnly: true })),
            },
          ],
          volumes: runtimeDirs.map(([name, path]) => ({ name, hostPath: { path } })),
        },
      },
    },
  });
  return out;
}

function ignoreAnnotation(waivers: Record<string, string>): string {
  return `${Object.keys(waivers).join(',')}: ${Object.entries(waivers).map(([id, why]) => `${id}: ${why}`).join('; ')}`;
}

export function renderSensorManifests(objects: readonly KubeObject[]): string {
  return objects.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n');
}
