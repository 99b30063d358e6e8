/**
 * The API resources kubeguard lists from a live cluster: everything the rules and analyses read.
 * `optional` resources come from CRDs or add-ons (Gateway API, Istio): absent from discovery means "not installed",
 * which is a fact, not a failure. A required resource the server does not serve is recorded as not listed.
 */
export interface WantedResource {
  group: string;
  /** Plural resource name as in the API path. */
  resource: string;
  kind: string;
  /** Versions we understand, most preferred first; discovery picks the first one served. */
  versions: string[];
  optional?: boolean;
}

export const WANTED_RESOURCES: readonly WantedResource[] = [
  { group: '', resource: 'namespaces', kind: 'Namespace', versions: ['v1'] },
  { group: '', resource: 'nodes', kind: 'Node', versions: ['v1'] },
  { group: '', resource: 'pods', kind: 'Pod', versions: ['v1'] },
  { group: '', resource: 'services', kind: 'Service', versions: ['v1'] },
  { group: '', resource: 'serviceaccounts', kind: 'ServiceAccount', versions: ['v1'] },
  { group: '', resource: 'secrets', kind: 'Secret', versions: ['v1'] },
  { group: '', resource: 'configmaps', kind: 'ConfigMap', versions: ['v1'] },
  { group: '', resource: 'replicationcontrollers', kind: 'ReplicationController', versions: ['v1'] },
  { group: 'apps', resource: 'deployments', kind: 'Deployment', versions: ['v1'] },
  { group: 'apps', resource: 'statefulsets', kind: 'StatefulSet', versions: ['v1'] },
  { group: 'apps', resource: 'daemonsets', kind: 'DaemonSet', versions: ['v1'] },
  { group: 'apps', resource: 'replicasets', kind: 'ReplicaSet', versions: ['v1'] },
  { group: 'batch', resource: 'jobs', kind: 'Job', versions: ['v1'] },
  { group: 'batch', resource: 'cronjobs', kind: 'CronJob', versions: ['v1', 'v1beta1'] },
  { group: 'rbac.authorization.k8s.io', resource: 'roles', kind: 'Role', versions: ['v1'] },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', kind: 'RoleBinding', versions: ['v1'] },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', kind: 'ClusterRole', versions: ['v1'] },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', versions: ['v1'] },
  { group: 'networking.k8s.io', resource: 'networkpolicies', kind: 'NetworkPolicy', versions: ['v1'] },
  { group: 'networking.k8s.io', resource: 'ingresses', kind: 'Ingress', versions: ['v1'] },
  { group: 'networking.k8s.io', resource: 'ingressclasses', kind: 'IngressClass', versions: ['v1'] },
  { group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', versions: ['v1'] },
  { group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', versions: ['v1'] },
  { group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', versions: ['v1'], optional: true },
  { group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', versions: ['v1'], optional: true },
  { group: 'gateway.networking.k8s.io', resource: 'gateways', kind: 'Gateway', versions: ['v1', 'v1beta1'], optional: true },
  { group: 'gateway.networking.k8s.io', resource: 'httproutes', kind: 'HTTPRoute', versions: ['v1', 'v1beta1'], optional: true },
  { group: 'gateway.networking.k8s.io', resource: 'grpcroutes', kind: 'GRPCRoute', versions: ['v1', 'v1alpha2'], optional: true },
  { group: 'gateway.networking.k8s.io', resource: 'tlsroutes', kind: 'TLSRoute', versions: ['v1alpha3', 'v1alpha2'], optional: true },
  { group: 'gateway.networking.k8s.io', resource: 'tcproutes', kind: 'TCPRoute', versions: ['v1alpha2'], optional: true },
  { group: 'gateway.networking.k8s.io', resource: 'udproutes', kind: 'UDPRoute', versions: ['v1alpha2'], optional: true },
  { group: 'security.istio.io', resource: 'peerauthentications', kind: 'PeerAuthentication', versions: ['v1', 'v1beta1'], optional: true },
  { group: 'policy.networking.k8s.io', resource: 'adminnetworkpolicies', kind: 'AdminNetworkPolicy', versions: ['v1alpha1'], optional: true },
  { group: 'policy.networking.k8s.io', resource: 'baselineadminnetworkpolicies', kind: 'BaselineAdminNetworkPolicy', versions: ['v1alpha1'], optional: true },
];

export function groupVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Path of the collection: /api/v1/pods, /apis/apps/v1/deployments, optionally inside a namespace. */
export function collectionPath(group: string, version: string, resource: string, namespace?: string): string {
  const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  return namespace === undefined ? `${base}/${resource}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}
