/**
 * The in-cluster agent (`kubeguard agent --once`, docs/server.md): a CronJob that lists the cluster it runs in,
 * scans it and uploads the results to the central server under the cluster's name. A CronJob rather than a
 * Deployment: nothing runs between passes, passes never overlap (concurrencyPolicy Forbid), and a pass that
 * dies is simply the next one.
 */
import type { KubeObject } from '../../core/model.js';
import { WANTED_RESOURCES } from '../../sources/cluster/kinds.js';
import type { InstallComponent } from '../component.js';
import { SERVER_NAME } from './server.js';

export const AGENT_NAME = 'kubeguard-agent';
/** The Secret (key `token`) holding an uploader token for the cluster, created by the operator. */
export const AGENT_TOKEN_SECRET = `${AGENT_NAME}-token`;
const SERVER_PORT = 8443;

/**
 * `list` on every resource the rules read but Secrets, grouped by API group (discovery needs no grant:
 * system:discovery). Without Secrets the rules that judge their contents are held as "could not evaluate" on the
 * server (never fixed); granting list on secrets (docs/install.md) adds them.
 */
function readRules(): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  const byGroup = new Map<string, string[]>();
  for (const w of WANTED_RESOURCES) if (w.resource !== 'secrets') byGroup.set(w.group, [...(byGroup.get(w.group) ?? []), w.resource]);
  return [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: ['list'] }));
}

export const agentComponent: InstallComponent = {
  name: 'agent',
  summary: 'in-cluster agent: scans the cluster every hour and uploads the results to the central server under its cluster name',
  needs: [
    "list (only list: no get, watch or write) on every resource the rules judge, cluster-wide: a pass reads the whole cluster as `scan --cluster` does",
    'not Secrets: reading every Secret is the most powerful read there is; the rules that judge what Secrets hold are held as "could not evaluate" on the server (never counted fixed) unless you grant list on secrets to the agent',
    `an uploader token in Secret ${AGENT_TOKEN_SECRET}, key token (kubeguard server token create --role uploader --cluster NAME), mounted as a file, never an argument`,
    `the server's CA from Secret ${SERVER_NAME}-tls (key ca.crt) when the server runs in this namespace; set the cluster name and server URL in ConfigMap ${AGENT_NAME}`,
    'egress to DNS, the API server (443, 6443/TCP) and the server (8443/TCP); no ingress',
    'a CronJob: hourly, never overlapping, nothing running between passes',
  ],
  placement: 'restricted',
  manifests(s) {
    const ns = s.namespace;
    const labels = { 'app.kubernetes.io/name': AGENT_NAME, 'app.kubernetes.io/part-of': 'kubeguard' };
    const meta = (name: string, namespaced = true) => ({ name, ...(namespaced && { namespace: ns }), labels });
    const out: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(AGENT_NAME) },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(AGENT_NAME, false), rules: readRules() },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta(AGENT_NAME, false),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: AGENT_NAME },
        subjects: [{ kind: 'ServiceAccount', name: AGENT_NAME, namespace: ns }],
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(AGENT_NAME), data: { 'cluster-name': 'in-cluster', server: `https://${SERVER_NAME}.${s.mainNamespace}.svc` } },
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
              template: {
                metadata: { labels },
                spec: {
                  serviceAccountName: AGENT_NAME,
                  restartPolicy: 'Never',
                  enableServiceLinks: false,
                  securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
                  containers: [
                    {
                      name: 'agent',
                      image: s.image,
                      imagePullPolicy: 'IfNotPresent',
                      args: ['agent', '--once', '--server', '$(KUBEGUARD_SERVER)', '--cluster-name', '$(KUBEGUARD_CLUSTER_NAME)', '--token-file', '/etc/kubeguard/token/token'],
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
                },
              },
            },
          },
        },
      },
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
