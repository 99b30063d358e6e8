/**
 * The in-cluster agent (`kubeguard agent`, docs/server.md): it lists the cluster it runs in, scans it and uploads
 * the results to the central server under the cluster's name. Two ways to run it (`--agent-mode`):
 * - watch (default): a Deployment of one replica running `agent --watch` — a pass every hour and soon after the
 *   cluster changes (list+watch); one replica and the Recreate strategy, so two agents never upload at once.
 * - cronjob: an hourly CronJob running `agent --once` — nothing runs between passes, passes never overlap
 *   (concurrencyPolicy Forbid), a pass that dies is simply the next one; list-only RBAC.
 */
import type { KubeObject } from '../../core/model.js';
import { WANTED_RESOURCES } from '../../sources/cluster/kinds.js';
import type { AgentMode, InstallComponent, InstallSettings } from '../component.js';
import { SERVER_NAME } from './server.js';

export const AGENT_NAME = 'kubeguard-agent';
/** The Secret (key `token`) holding an uploader token for the cluster, created by the operator. */
export const AGENT_TOKEN_SECRET = `${AGENT_NAME}-token`;
const SERVER_PORT = 8443;
/** The watching agent's liveness endpoint (`agent --health-port`), probed by the kubelet only. */
const HEALTH_PORT = 8080;
/** Seconds between scheduled passes of the watching agent (its CronJob twin runs hourly too). */
const INTERVAL = 3600;

/**
 * `list` (and `watch` for the watching agent) on every resource the rules read but Secrets, grouped by API group
 * (discovery needs no grant: system:discovery). Without Secrets the rules that judge their contents are held as
 * "could not evaluate" on the server (never fixed); granting list on secrets (docs/install.md) adds them.
 */
function readRules(mode: AgentMode): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  const byGroup = new Map<string, string[]>();
  for (const w of WANTED_RESOURCES) if (w.resource !== 'secrets') byGroup.set(w.group, [...(byGroup.get(w.group) ?? []), w.resource]);
  return [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: mode === 'watch' ? ['list', 'watch'] : ['list'] }));
}

export const agentComponent: InstallComponent = {
  name: 'agent',
  summary: 'in-cluster agent: scans the cluster every hour and soon after it changes (or hourly only, --agent-mode cronjob) and uploads the results to the central server under its cluster name',
  needs: [
    'list and watch (no get, no write) on every resource the rules judge, cluster-wide: a pass reads the whole cluster as `scan --cluster` does, the watch tells it when to pass again (--agent-mode cronjob: list only)',
    'not Secrets: reading every Secret is the most powerful read there is; the rules that judge what Secrets hold are held as "could not evaluate" on the server (never counted fixed) unless you grant list on secrets to the agent',
    `an uploader token in Secret ${AGENT_TOKEN_SECRET}, key token (kubeguard server token create --role uploader --cluster NAME), mounted as a file, never an argument`,
    `the server's CA from Secret ${SERVER_NAME}-tls (key ca.crt) when the server runs in this namespace; set the cluster name and server URL in ConfigMap ${AGENT_NAME}`,
    'egress to DNS, the API server (443, 6443/TCP) and the server (8443/TCP); no ingress',
    'one replica (Recreate: two agents never upload at once) with a PodDisruptionBudget that lets a drain evict it, restarted by its liveness probe when its wait loop, a pass (30 min) or a watch stops making progress; or, with --agent-mode cronjob, an hourly CronJob, never overlapping, nothing running between passes',
  ],
  placement: 'restricted',
  manifests(s) {
    const ns = s.namespace;
    const labels = { 'app.kubernetes.io/name': AGENT_NAME, 'app.kubernetes.io/part-of': 'kubeguard' };
    const meta = (name: string, namespaced = true) => ({ name, ...(namespaced && { namespace: ns }), labels });
    const out: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(AGENT_NAME) },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(AGENT_NAME, false), rules: readRules(s.agentMode) },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta(AGENT_NAME, false),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: AGENT_NAME },
        subjects: [{ kind: 'ServiceAccount', name: AGENT_NAME, namespace: ns }],
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(AGENT_NAME), data: { 'cluster-name': 'in-cluster', server: `https://${SERVER_NAME}.${s.mainNamespace}.svc` } },
      ...(s.agentMode === 'watch' ? watching(s, meta, labels) : hourly(s, meta, labels)),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta(AGENT_NAME),
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': AGENT_NAME } },
          policyTypes: ['Ingress', 'Egress'],
          egress: [
            { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
            { ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] },
            { ports: [{ port: SERVER_PORT, protocol: 'TCP' }] },
          ],
        },
      },
    ];
    return Promise.resolve(out);
  },
};

type Meta = (name: string) => KubeObject['metadata'];

/** The agent's pod: `agent` with these mode arguments (and container fields), restricted, the token and the server's CA as files. */
function podSpec(s: InstallSettings, mode: string[], restartPolicy: 'Always' | 'Never', extra: Record<string, unknown> = {}) {
  return {
    serviceAccountName: AGENT_NAME,
    restartPolicy,
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'agent',
        image: s.image,
        imagePullPolicy: 'IfNotPresent',
        args: ['agent', ...mode, '--server', '$(KUBEGUARD_SERVER)', '--cluster-name', '$(KUBEGUARD_CLUSTER_NAME)', '--token-file', '/etc/kubeguard/token/token'],
        ...extra,
        env: [
          { name: 'KUBEGUARD_SERVER', valueFrom: { configMapKeyRef: { name: AGENT_NAME, key: 'server' } } },
          { name: 'KUBEGUARD_CLUSTER_NAME', valueFrom: { configMapKeyRef: { name: AGENT_NAME, key: 'cluster-name' } } },
          { name: 'NODE_EXTRA_CA_CERTS', value: '/etc/kubeguard/server-ca/ca.crt' },
        ],
        resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        volumeMounts: [
          { name: 'token', mountPath: '/etc/kubeguard/token', readOnly: true },
          { name: 'server-ca', mountPath: '/etc/kubeguard/server-ca', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
    ],
    volumes: [
      { name: 'token', secret: { secretName: AGENT_TOKEN_SECRET } },
      { name: 'server-ca', secret: { secretName: `${SERVER_NAME}-tls`, optional: true, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ],
  };
}

/**
 * `agent --watch`: one long-running replica. Recreate, so a rollout never runs two (each would upload the same
 * cluster); a PodDisruptionBudget allowing one unavailable, so a node drain evicts it rather than blocking; the
 * bundle's anti-affinity, harmless for one replica. Its liveness probe asks `--health-port`, which fails once the
 * wait loop, a pass or a watch stops making progress (src/usecases/agent/liveness.ts); the NetworkPolicy admits no
 * ingress, and needs none for it: traffic from the pod's own node (the kubelet) is always allowed
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
 */
function watching(s: InstallSettings, meta: Meta, labels: Record<string, string>): KubeObject[] {
  const selector = { matchLabels: { 'app.kubernetes.io/name': AGENT_NAME } };
  const spec = podSpec(s, ['--watch', '--interval', String(INTERVAL), '--health-port', String(HEALTH_PORT)], 'Always', {
    ports: [{ name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' }],
    livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
  });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(AGENT_NAME),
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector,
        template: {
          metadata: { labels },
          spec: { ...spec, affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: selector, topologyKey: 'kubernetes.io/hostname' } }] } } },
        },
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(AGENT_NAME), spec: { maxUnavailable: 1, selector } },
  ];
}

/** `agent --once` every hour. */
function hourly(s: InstallSettings, meta: Meta, labels: Record<string, string>): KubeObject[] {
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta(AGENT_NAME),
      spec: {
        schedule: '17 * * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 1800,
            ttlSecondsAfterFinished: 86_400,
            template: { metadata: { labels }, spec: podSpec(s, ['--once'], 'Never') },
          },
        },
      },
    },
  ];
}
