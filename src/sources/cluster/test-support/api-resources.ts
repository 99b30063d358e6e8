/**
 * The API resources the test server serves, as the real discovery documents describe them
 * (kubectl get --raw /api/v1, /apis/apps/v1, … on Kubernetes 1.31). Subresources are included because real
 * discovery lists them and a client must skip them.
 */
export interface ServedDef {
  group: string;
  version: string;
  resource: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** CRD-backed: served only when the test asks for it (an add-on installed). */
  crd?: boolean;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const VERBS_RW: readonly string[] = RW;

const d = (group: string, version: string, resource: string, kind: string, namespaced: boolean, shortNames?: string[], crd?: boolean): ServedDef => ({
  group, version, resource, kind, namespaced, singularName: kind.toLowerCase(), ...(shortNames ? { shortNames } : {}), ...(crd ? { crd } : {}),
});

export const SERVED: readonly ServedDef[] = [
  d('', 'v1', 'bindings', 'Binding', true),
  d('', 'v1', 'configmaps', 'ConfigMap', true, ['cm']),
  d('', 'v1', 'endpoints', 'Endpoints', true, ['ep']),
  d('', 'v1', 'events', 'Event', true, ['ev']),
  d('', 'v1', 'namespaces', 'Namespace', false, ['ns']),
  d('', 'v1', 'nodes', 'Node', false, ['no']),
  d('', 'v1', 'pods', 'Pod', true, ['po']),
  d('', 'v1', 'replicationcontrollers', 'ReplicationController', true, ['rc']),
  d('', 'v1', 'secrets', 'Secret', true),
  d('', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']),
  d('', 'v1', 'services', 'Service', true, ['svc']),
  d('apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds']),
  d('apps', 'v1', 'deployments', 'Deployment', true, ['deploy']),
  d('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs']),
  d('apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts']),
  d('batch', 'v1', 'cronjobs', 'CronJob', true, ['cj']),
  d('batch', 'v1', 'jobs', 'Job', true),
  d('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  d('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  d('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  d('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  d('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  d('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['ing']),
  d('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, ['netpol']),
  d('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false),
  d('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies', 'ValidatingAdmissionPolicy', false),
  d('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', false),
  d('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false),
  d('gateway.networking.k8s.io', 'v1', 'gateways', 'Gateway', true, ['gtw'], true),
  d('gateway.networking.k8s.io', 'v1', 'httproutes', 'HTTPRoute', true, undefined, true),
  d('gateway.networking.k8s.io', 'v1', 'grpcroutes', 'GRPCRoute', true, undefined, true),
  d('security.istio.io', 'v1', 'peerauthentications', 'PeerAuthentication', true, ['pa'], true),
];

/** Subresources real discovery lists next to their resource. */
export const SUBRESOURCES: Readonly<Record<string, { name: string; kind: string; verbs: string[] }[]>> = {
  pods: [
    { name: 'pods/exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'pods/log', kind: 'Pod', verbs: ['get'] },
    { name: 'pods/status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  ],
  deployments: [{ name: 'deployments/scale', kind: 'Scale', verbs: ['get', 'patch', 'update'] }],
  namespaces: [{ name: 'namespaces/finalize', kind: 'Namespace', verbs: ['update'] }],
};
