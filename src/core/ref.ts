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
