/**
 * Built-in Kubernetes API resources: kind ↔ plural resource, group, scope. What an admission request names
 * as `resource` for an object read from a file (no discovery offline). Kinds not listed (CRDs) get the
 * plural Kubernetes itself guesses (apimachinery meta.UnsafeGuessKindToResource) and are assumed namespaced
 * when the object carries a namespace.
 */
export interface ApiResource {
  group: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

const R = (group: string, kind: string, resource: string, namespaced: boolean): ApiResource => ({ group, kind, resource, namespaced });

export const BUILTIN_RESOURCES: readonly ApiResource[] = [
  R('', 'Binding', 'bindings', true),
  R('', 'ComponentStatus', 'componentstatuses', false),
  R('', 'ConfigMap', 'configmaps', true),
  R('', 'Endpoints', 'endpoints', true),
  R('', 'Event', 'events', true),
  R('', 'LimitRange', 'limitranges', true),
  R('', 'Namespace', 'namespaces', false),
  R('', 'Node', 'nodes', false),
  R('', 'PersistentVolumeClaim', 'persistentvolumeclaims', true),
  R('', 'PersistentVolume', 'persistentvolumes', false),
  R('', 'Pod', 'pods', true),
  R('', 'PodTemplate', 'podtemplates', true),
  R('', 'ReplicationController', 'replicationcontrollers', true),
  R('', 'ResourceQuota', 'resourcequotas', true),
  R('', 'Secret', 'secrets', true),
  R('', 'ServiceAccount', 'serviceaccounts', true),
  R('', 'Service', 'services', true),
  R('admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  R('admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  R('admissionregistration.k8s.io', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false),
  R('admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false),
  R('admissionregistration.k8s.io', 'MutatingAdmissionPolicy', 'mutatingadmissionpolicies', false),
  R('admissionregistration.k8s.io', 'MutatingAdmissionPolicyBinding', 'mutatingadmissionpolicybindings', false),
  R('apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', false),
  R('apiregistration.k8s.io', 'APIService', 'apiservices', false),
  R('apps', 'ControllerRevision', 'controllerrevisions', true),
  R('apps', 'DaemonSet', 'daemonsets', true),
  R('apps', 'Deployment', 'deployments', true),
  R('apps', 'ReplicaSet', 'replicasets', true),
  R('apps', 'StatefulSet', 'statefulsets', true),
  R('autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true),
  R('batch', 'CronJob', 'cronjobs', true),
  R('batch', 'Job', 'jobs', true),
  R('certificates.k8s.io', 'CertificateSigningRequest', 'certificatesigningrequests', false),
  R('coordination.k8s.io', 'Lease', 'leases', true),
  R('discovery.k8s.io', 'EndpointSlice', 'endpointslices', true),
  R('events.k8s.io', 'Event', 'events', true),
  R('flowcontrol.apiserver.k8s.io', 'FlowSchema', 'flowschemas', false),
  R('flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false),
  R('networking.k8s.io', 'IngressClass', 'ingressclasses', false),
  R('networking.k8s.io', 'Ingress', 'ingresses', true),
  R('networking.k8s.io', 'NetworkPolicy', 'networkpolicies', true),
  R('networking.k8s.io', 'IPAddress', 'ipaddresses', false),
  R('networking.k8s.io', 'ServiceCIDR', 'servicecidrs', false),
  R('node.k8s.io', 'RuntimeClass', 'runtimeclasses', false),
  R('policy', 'PodDisruptionBudget', 'poddisruptionbudgets', true),
  R('rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', false),
  R('rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', false),
  R('rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', true),
  R('rbac.authorization.k8s.io', 'Role', 'roles', true),
  R('resource.k8s.io', 'DeviceClass', 'deviceclasses', false),
  R('resource.k8s.io', 'ResourceClaim', 'resourceclaims', true),
  R('resource.k8s.io', 'ResourceClaimTemplate', 'resourceclaimtemplates', true),
  R('resource.k8s.io', 'ResourceSlice', 'resourceslices', false),
  R('scheduling.k8s.io', 'PriorityClass', 'priorityclasses', false),
  R('storage.k8s.io', 'CSIDriver', 'csidrivers', false),
  R('storage.k8s.io', 'CSINode', 'csinodes', false),
  R('storage.k8s.io', 'CSIStorageCapacity', 'csistoragecapacities', true),
  R('storage.k8s.io', 'StorageClass', 'storageclasses', false),
  R('storage.k8s.io', 'VolumeAttachment', 'volumeattachments', false),
  R('storage.k8s.io', 'VolumeAttributesClass', 'volumeattributesclasses', false),
];

/** Older groups serving the same resources (what matchPolicy: Equivalent converts between). */
const EQUIVALENT_GROUPS: Record<string, string[]> = {
  'apps/deployments': ['extensions'],
  'apps/daemonsets': ['extensions'],
  'apps/replicasets': ['extensions'],
  'networking.k8s.io/ingresses': ['extensions'],
  'networking.k8s.io/networkpolicies': ['extensions'],
  'events.k8s.io/events': [''],
  '/events': ['events.k8s.io'],
};

const byGroupKind = new Map(BUILTIN_RESOURCES.map((r) => [`${r.group}/${r.kind}`, r]));
const byGroupResource = new Map(BUILTIN_RESOURCES.map((r) => [`${r.group}/${r.resource}`, r]));

export function splitApiVersion(apiVersion: string | undefined): { group: string; version: string } {
  const v = apiVersion ?? '';
  const i = v.lastIndexOf('/');
  return i < 0 ? { group: '', version: v } : { group: v.slice(0, i), version: v.slice(i + 1) };
}

/** apimachinery meta.UnsafeGuessKindToResource: lower-case kind, then s / es / ies. */
export function guessResource(kind: string): string {
  const k = kind.toLowerCase();
  if (k === '') return '';
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** The API resource an object of this apiVersion/kind is served as. `known` is false for a guessed (CRD) kind. */
export function resourceFor(apiVersion: string | undefined, kind: string): ApiResource & { version: string; known: boolean } {
  const { group, version } = splitApiVersion(apiVersion);
  const hit = byGroupKind.get(`${group}/${kind}`) ?? (group === 'extensions' ? (byGroupKind.get(`apps/${kind}`) ?? byGroupKind.get(`networking.k8s.io/${kind}`)) : undefined);
  if (hit) return { ...hit, group, version, known: true };
  return { group, version, kind, resource: guessResource(kind), namespaced: true, known: false };
}

/** Groups in which the same resource is served (the group itself first). */
export function equivalentGroups(group: string, resource: string): string[] {
  return [group, ...(EQUIVALENT_GROUPS[`${group}/${resource}`] ?? []), ...Object.entries(EQUIVALENT_GROUPS).filter(([k, v]) => v.includes(group) && k.endsWith(`/${resource}`)).map(([k]) => k.slice(0, k.lastIndexOf('/')))];
}

export function isKnownResource(group: string, resource: string): boolean {
  return byGroupResource.has(`${group}/${resource}`);
}
