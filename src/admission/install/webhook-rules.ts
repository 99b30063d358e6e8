/**
 * Which API resources the webhook registers for: every pod-bearing workload kind, plus the kinds the rule
 * catalogue judges that this table knows how to name (group and plural resource, as the API serves them).
 */
import type { Rule } from '../../core/rule.js';
import { POD_BEARING_KINDS } from '../../core/podspec.js';
import { isClusterScoped } from '../../core/ref.js';

interface ApiResource {
  group: string;
  resource: string;
}

/** Kind → group and resource name (https://kubernetes.io/docs/reference/kubernetes-api/). */
const API_RESOURCES: Record<string, ApiResource> = {
  Pod: { group: '', resource: 'pods' },
  PodTemplate: { group: '', resource: 'podtemplates' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  ConfigMap: { group: '', resource: 'configmaps' },
  Secret: { group: '', resource: 'secrets' },
  Service: { group: '', resource: 'services' },
  ServiceAccount: { group: '', resource: 'serviceaccounts' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
  NetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  Namespace: { group: '', resource: 'namespaces' },
};

/**
 * Kinds rules judge that can never reach a webhook: the API server does not call admission webhooks for
 * webhook configurations and admission policies ("to prevent deadlocks"), and Dockerfiles are not API objects.
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#webhook-configuration
 */
const NEVER_ADMITTED = new Set([
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'Dockerfile',
]);

export interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
  scope: 'Namespaced' | 'Cluster' | '*';
}

export interface WebhookCoverage {
  rules: WebhookRule[];
  /** Kinds some rule judges that the webhook cannot register for (not in the table, or not API objects). */
  uncovered: string[];
}

export function webhookRules(catalog: readonly Rule[]): WebhookCoverage {
  const kinds = new Set<string>(POD_BEARING_KINDS);
  for (const rule of catalog) if (rule.kinds !== 'pod-bearing') for (const k of rule.kinds) kinds.add(k);
  const byGroup = new Map<string, { namespaced: string[]; cluster: string[] }>();
  const uncovered: string[] = [];
  for (const kind of [...kinds].sort()) {
    if (NEVER_ADMITTED.has(kind)) continue;
    const api = API_RESOURCES[kind];
    if (!api) {
      uncovered.push(kind);
      continue;
    }
    const entry = byGroup.get(api.group) ?? byGroup.set(api.group, { namespaced: [], cluster: [] }).get(api.group)!;
    (isClusterScoped(kind) ? entry.cluster : entry.namespaced).push(api.resource);
    if (kind === 'Pod') entry.namespaced.push('pods/ephemeralcontainers');
  }
  const rules: WebhookRule[] = [];
  for (const [group, { namespaced, cluster }] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
    const base = { apiGroups: [group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'] };
    if (namespaced.length) rules.push({ ...base, resources: namespaced.sort(), scope: 'Namespaced' });
    if (cluster.length) rules.push({ ...base, resources: cluster.sort(), scope: 'Cluster' });
  }
  return { rules, uncovered };
}
