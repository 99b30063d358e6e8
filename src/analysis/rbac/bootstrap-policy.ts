/**
 * The default ClusterRoles and ClusterRoleBindings every Kubernetes cluster gets from the API server's
 * bootstrap policy, transcribed from kubernetes/kubernetes
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml and cluster-role-bindings.yaml
 * (the golden files checked by upstream's TestBootstrapClusterRoles / TestBootstrapClusterRoleBindings).
 * The aggregated roles (admin, edit, view) keep their aggregationRule and empty rules, as upstream declares
 * them; the aggregation is computed like the clusterrole-aggregation controller does.
 * The controller roles (system:controller:*) are left out: they are bound only to kube-system controller
 * service accounts, which manifests rarely reference.
 */
import type { KubeObject } from '../../core/model.js';

const RBAC_V1 = 'rbac.authorization.k8s.io/v1';
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

interface RuleSpec {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

const RW = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ = ['get', 'list', 'watch'];

function r(apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): RuleSpec {
  return resourceNames ? { apiGroups, resources, resourceNames, verbs } : { apiGroups, resources, verbs };
}

function url(nonResourceURLs: string[], verbs: string[]): RuleSpec {
  return { nonResourceURLs, verbs };
}

function clusterRole(
  name: string,
  rules: RuleSpec[] | null,
  extraLabels: Record<string, string> = {},
  aggregateFrom?: string,
): KubeObject {
  const obj: KubeObject = {
    apiVersion: RBAC_V1,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABELS, ...extraLabels },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    rules: rules ?? [],
  };
  if (aggregateFrom) obj.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [aggregateFrom]: 'true' } }] };
  return obj;
}

const AGG_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
const AGG_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
const AGG_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const EVENTS_WRITE = r(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']);

export const BOOTSTRAP_CLUSTER_ROLES: readonly KubeObject[] = [
  clusterRole('admin', null, {}, AGG_ADMIN),
  clusterRole('cluster-admin', [r(['*'], ['*'], ['*']), url(['*'], ['*'])]),
  clusterRole('edit', null, { [AGG_ADMIN]: 'true' }, AGG_EDIT),
  clusterRole('system:aggregate-to-admin', [
    r(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
    r(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...RW, ...READ]),
  ], { [AGG_ADMIN]: 'true' }),
  clusterRole('system:aggregate-to-edit', [
    r([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
    r([''], ['serviceaccounts'], ['impersonate']),
    r([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], RW),
    r([''], ['pods/eviction'], ['create']),
    r([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale',
      'secrets', 'serviceaccounts', 'services', 'services/proxy'], RW),
    r([''], ['serviceaccounts/token'], ['create']),
    r(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets',
      'replicasets/scale', 'statefulsets', 'statefulsets/scale'], RW),
    r(['autoscaling'], ['horizontalpodautoscalers'], RW),
    r(['batch'], ['cronjobs', 'jobs'], RW),
    r(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses',
      'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], RW),
    r(['policy'], ['poddisruptionbudgets'], RW),
    r(['networking.k8s.io'], ['ingresses', 'networkpolicies'], RW),
    r(['coordination.k8s.io'], ['leases'], [...RW, ...READ]),
  ], { [AGG_EDIT]: 'true' }),
  clusterRole('system:aggregate-to-view', [
    r([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods',
      'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], READ),
    r([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status',
      'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], READ),
    r([''], ['namespaces'], READ),
    r(['discovery.k8s.io'], ['endpointslices'], READ),
    r(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale',
      'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets',
      'statefulsets/scale', 'statefulsets/status'], READ),
    r(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
    r(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
    r(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
      'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status',
      'replicationcontrollers/scale'], READ),
    r(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
    r(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
  ], { [AGG_VIEW]: 'true' }),
  clusterRole('system:auth-delegator', [
    r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  ]),
  clusterRole('system:basic-user', [
    r(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
    r(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
  ]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
    r(['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'], ['create']),
  ]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
    r(['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'], ['create']),
  ]),
  clusterRole('system:certificates.k8s.io:kube-apiserver-client-approver', [
    r(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client']),
  ]),
  clusterRole('system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', [
    r(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client-kubelet']),
  ]),
  clusterRole('system:certificates.k8s.io:kubelet-serving-approver', [
    r(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kubelet-serving']),
  ]),
  clusterRole('system:certificates.k8s.io:legacy-unknown-approver', [
    r(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/legacy-unknown']),
  ]),
  clusterRole('system:discovery', [
    url(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version',
      '/version/'], ['get']),
  ]),
  clusterRole('system:heapster', [
    r([''], ['events', 'namespaces', 'nodes', 'pods'], READ),
    r(['extensions'], ['deployments'], READ),
  ]),
  clusterRole('system:kube-aggregator', [r([''], ['endpoints', 'services'], READ)]),
  clusterRole('system:kube-controller-manager', [
    EVENTS_WRITE,
    r(['coordination.k8s.io'], ['leases'], ['create']),
    r(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-controller-manager']),
    r([''], ['secrets', 'serviceaccounts'], ['create']),
    r([''], ['secrets'], ['delete']),
    r([''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], ['get']),
    r([''], ['secrets', 'serviceaccounts'], ['update']),
    r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
    r(['*'], ['*'], ['list', 'watch']),
    r([''], ['serviceaccounts/token'], ['create']),
  ]),
  clusterRole('system:kube-dns', [r([''], ['endpoints', 'services'], ['list', 'watch'])]),
  clusterRole('system:kube-scheduler', [
    EVENTS_WRITE,
    r(['coordination.k8s.io'], ['leases'], ['create']),
    r(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-scheduler']),
    r([''], ['nodes'], READ),
    r([''], ['pods'], ['delete', 'get', 'list', 'watch']),
    r([''], ['bindings', 'pods/binding'], ['create']),
    r([''], ['pods/status'], ['patch', 'update']),
    r([''], ['replicationcontrollers', 'services'], READ),
    r(['apps', 'extensions'], ['replicasets'], READ),
    r(['apps'], ['statefulsets'], READ),
    r(['policy'], ['poddisruptionbudgets'], READ),
    r([''], ['persistentvolumeclaims', 'persistentvolumes'], READ),
    r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
    r(['storage.k8s.io'], ['csinodes'], READ),
    r([''], ['namespaces'], READ),
    r(['storage.k8s.io'], ['csidrivers'], READ),
    r(['storage.k8s.io'], ['csistoragecapacities'], READ),
  ]),
  clusterRole('system:kubelet-api-admin', [
    r([''], ['nodes'], READ),
    r([''], ['nodes'], ['proxy']),
    r([''], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], ['*']),
  ]),
  clusterRole('system:monitoring', [
    url(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get']),
  ]),
  clusterRole('system:node', [
    r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    r(['authorization.k8s.io'], ['localsubjectaccessreviews', 'subjectaccessreviews'], ['create']),
    r([''], ['services'], READ),
    r([''], ['nodes'], ['create', 'get', 'list', 'watch']),
    r([''], ['nodes/status'], ['patch', 'update']),
    r([''], ['nodes'], ['patch', 'update']),
    r([''], ['events'], ['create', 'patch', 'update']),
    r([''], ['pods'], READ),
    r([''], ['pods'], ['create', 'delete']),
    r([''], ['pods/status'], ['patch', 'update']),
    r([''], ['pods/eviction'], ['create']),
    r([''], ['configmaps', 'secrets'], READ),
    r([''], ['persistentvolumeclaims', 'persistentvolumes'], ['get']),
    r([''], ['endpoints'], ['get']),
    r(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
    r(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'get', 'patch', 'update']),
    r(['storage.k8s.io'], ['volumeattachments'], ['get']),
    r([''], ['serviceaccounts/token'], ['create']),
    r([''], ['persistentvolumeclaims/status'], ['get', 'patch', 'update']),
    r(['storage.k8s.io'], ['csidrivers'], READ),
    r(['storage.k8s.io'], ['csinodes'], ['create', 'delete', 'get', 'patch', 'update']),
    r(['node.k8s.io'], ['runtimeclasses'], READ),
  ]),
  clusterRole('system:node-bootstrapper', [
    r(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
  ]),
  clusterRole('system:node-problem-detector', [
    r([''], ['nodes'], ['get']),
    r([''], ['nodes/status'], ['patch']),
    EVENTS_WRITE,
  ]),
  clusterRole('system:node-proxier', [
    r([''], ['endpoints', 'services'], ['list', 'watch']),
    r([''], ['nodes'], READ),
    EVENTS_WRITE,
    r(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
  ]),
  clusterRole('system:persistent-volume-provisioner', [
    r([''], ['persistentvolumes'], ['create', 'delete', 'get', 'list', 'watch']),
    r([''], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
    r(['storage.k8s.io'], ['storageclasses'], READ),
    r([''], ['events'], ['watch']),
    EVENTS_WRITE,
  ]),
  clusterRole('system:public-info-viewer', [
    url(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get']),
  ]),
  clusterRole('system:service-account-issuer-discovery', [
    url(['/.well-known/openid-configuration', '/openid/v1/jwks'], ['get']),
  ]),
  clusterRole('system:volume-scheduler', [
    r([''], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']),
    r(['storage.k8s.io'], ['storageclasses'], READ),
    r([''], ['persistentvolumeclaims'], ['get', 'list', 'patch', 'update', 'watch']),
  ]),
  clusterRole('view', null, { [AGG_EDIT]: 'true' }, AGG_VIEW),
];

type SubjectSpec = { kind: 'User' | 'Group'; name: string } | { kind: 'ServiceAccount'; name: string; namespace: string };

function crb(name: string, roleName: string, subjects: SubjectSpec[]): KubeObject {
  return {
    apiVersion: RBAC_V1,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: subjects.map((s) => (s.kind === 'ServiceAccount' ? s : { apiGroup: 'rbac.authorization.k8s.io', ...s })),
  };
}

const group = (name: string): SubjectSpec => ({ kind: 'Group', name });
const user = (name: string): SubjectSpec => ({ kind: 'User', name });

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly KubeObject[] = [
  crb('cluster-admin', 'cluster-admin', [group('system:masters')]),
  crb('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
  crb('system:discovery', 'system:discovery', [group('system:authenticated')]),
  crb('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
  crb('system:kube-dns', 'system:kube-dns', [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }]),
  crb('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
  // Upstream binds system:monitoring to its group and the issuer-discovery role to all service accounts
  // (bootstrappolicy/policy.go ClusterRoleBindings(), Kubernetes >= 1.21/1.22).
  crb('system:monitoring', 'system:monitoring', [group('system:monitoring')]),
  // system:node has no subjects: nodes are authorised by the Node authorizer instead.
  crb('system:node', 'system:node', []),
  crb('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
  crb('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
  crb('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
  crb('system:volume-scheduler', 'system:volume-scheduler', [user('system:kube-scheduler')]),
];

/** Names of the bootstrap ClusterRoles (for "is this a built-in role" checks). */
export const BOOTSTRAP_CLUSTER_ROLE_NAMES: ReadonlySet<string> = new Set(
  BOOTSTRAP_CLUSTER_ROLES.map((o) => o.metadata?.name ?? ''),
);
