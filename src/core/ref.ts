import type { KubeObject, ResourceRef } from './model.js';

/** Kinds that live outside namespaces; everything else defaults to namespace "default" when unset. */
/** Cluster-scoped kinds of the built-in API groups (`kubectl api-resources --namespaced=false`), plus Dockerfile. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'ClusterTrustBundle', 'APIService', 'RuntimeClass', 'IngressClass', 'GatewayClass',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass', 'PodSecurityPolicy', 'ComponentStatus',
  'FlowSchema', 'PriorityLevelConfiguration', 'DeviceClass', 'ResourceSlice', 'IPAddress', 'ServiceCIDR',
  'StorageVersion', 'StorageVersionMigration', 'TokenReview', 'SelfSubjectReview', 'SelfSubjectAccessReview',
  'SelfSubjectRulesReview', 'SubjectAccessReview',
  'Dockerfile',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** The API group of an apiVersion ("apps/v1" → "apps", "v1" → "" the core group). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** API groups the kube-apiserver serves itself (CRD groups and aggregated APIs such as metrics.k8s.io are not). */
const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io',
  'discovery.k8s.io', 'node.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
  'apiregistration.k8s.io', 'resource.k8s.io', 'storagemigration.k8s.io', 'internal.apiserver.k8s.io',
  'authentication.k8s.io', 'authorization.k8s.io',
]);

export function isBuiltinApiGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}

/** The reference of an object. Namespace is left unset when the manifest does not say (not guessed). */
export function refOf(obj: KubeObject): ResourceRef {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const ref: ResourceRef = {
    apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
    kind,
    name: typeof obj.metadata?.name === 'string' ? obj.metadata.name : (obj.metadata?.generateName ?? ''),
  };
  if (!isClusterScoped(kind) && typeof obj.metadata?.namespace === 'string') ref.namespace = obj.metadata.namespace;
  return ref;
}

/** Effective namespace for namespaced kinds: the declared one or "default". */
export function namespaceOf(obj: KubeObject): string | undefined {
  if (isClusterScoped(obj.kind ?? '')) return undefined;
  return typeof obj.metadata?.namespace === 'string' && obj.metadata.namespace ? obj.metadata.namespace : 'default';
}

export function formatRef(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ? ref.namespace + '/' : ''}${ref.name}`;
}

export interface ControllerRef {
  kind: string;
  name: string;
  uid?: string;
}

/** The owner reference marked `controller: true` (the ReplicaSet of a Pod, the CronJob of a Job), if any. */
export function controllerRef(obj: KubeObject): ControllerRef | undefined {
  const refs = obj.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs as unknown[]) {
    if (r === null || typeof r !== 'object') continue;
    const o = r as { controller?: unknown; kind?: unknown; name?: unknown; uid?: unknown };
    if (o.controller !== true || typeof o.kind !== 'string' || typeof o.name !== 'string') continue;
    return typeof o.uid === 'string' ? { kind: o.kind, name: o.name, uid: o.uid } : { kind: o.kind, name: o.name };
  }
  return undefined;
}

/**
 * The workload a pod name belongs to when the producer names no owner (Hubble without `workloads`, Falco): strips the ReplicaSet pod suffix
 * (`-<pod-template-hash>-<5 chars>`), else a DaemonSet/Job style `-<5 chars>` suffix, else a StatefulSet ordinal.
 */
export function workloadFromPodName(pod: string): string {
  const rs = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  if (rs) return rs[1];
  const ds = /^(.+)-[a-z0-9]{5}$/.exec(pod);
  if (ds) return ds[1];
  const sts = /^(.+)-\d+$/.exec(pod);
  return sts ? sts[1] : pod;
}
