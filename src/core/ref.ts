import type { KubeObject, ResourceRef } from './model.js';

/** Kinds that live outside namespaces; everything else defaults to namespace "default" when unset. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'CertificateSigningRequest', 'APIService',
  'RuntimeClass', 'IngressClass', 'GatewayClass', 'CSIDriver', 'VolumeAttachment', 'PodSecurityPolicy',
  'Dockerfile',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
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
