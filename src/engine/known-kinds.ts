/**
 * API groups built into Kubernetes. Objects of these groups are "known" even when no rule looks at their kind;
 * objects of other groups (CRDs) without a pod template are reported as not evaluated.
 */
const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io',
  'discovery.k8s.io', 'node.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
  'apiregistration.k8s.io', 'resource.k8s.io', 'storagemigration.k8s.io', 'internal.apiserver.k8s.io',
  'authentication.k8s.io', 'authorization.k8s.io', 'kubeguard.io',
]);

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

export function isBuiltinApiVersion(apiVersion: string): boolean {
  return BUILTIN_GROUPS.has(apiGroupOf(apiVersion));
}
