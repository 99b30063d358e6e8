/**
 * The RBAC data model, normalised from rbac.authorization.k8s.io/v1 objects.
 * Field meanings follow k8s.io/api/rbac/v1 (PolicyRule, Subject, RoleRef).
 */

/** One rule of a Role/ClusterRole. Empty lists are kept empty (they match nothing). */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/** A binding subject. ServiceAccount subjects always carry their (defaulted) namespace. */
export interface Subject {
  kind: SubjectKind;
  name: string;
  namespace?: string;
}

export type RoleKind = 'Role' | 'ClusterRole';
export type BindingKind = 'RoleBinding' | 'ClusterRoleBinding';

export interface RoleRef {
  kind: RoleKind;
  name: string;
}

/** Where an RBAC object came from: the manifests/cluster, or the built-in bootstrap policy. */
export type Origin = 'input' | 'bootstrap';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface RbacRole {
  kind: RoleKind;
  name: string;
  /** Set for Roles only. */
  namespace?: string;
  labels: Record<string, string>;
  /** Rules as declared (for aggregated ClusterRoles the controller replaces these). */
  declaredRules: PolicyRule[];
  aggregationSelectors?: LabelSelector[];
  origin: Origin;
}

export interface RbacBinding {
  kind: BindingKind;
  name: string;
  /** Set for RoleBindings only. */
  namespace?: string;
  roleRef: RoleRef;
  subjects: Subject[];
  origin: Origin;
}

/** "Kind/name" for ClusterRoles, "Kind/ns/name" for Roles (the who-can JSON format). */
export function roleKey(kind: RoleKind, name: string, namespace?: string): string {
  return kind === 'Role' ? `Role/${namespace ?? ''}/${name}` : `ClusterRole/${name}`;
}

/** The display form used in who-can JSON: "Role/name" or "ClusterRole/name". */
export function roleLabel(kind: RoleKind, name: string): string {
  return `${kind}/${name}`;
}

export function bindingKey(b: Pick<RbacBinding, 'kind' | 'name' | 'namespace'>): string {
  return b.kind === 'RoleBinding' ? `RoleBinding/${b.namespace ?? ''}/${b.name}` : `ClusterRoleBinding/${b.name}`;
}

/** A resource request (the authorizer's attributes, see k8s.io/apiserver authorizer.Attributes). */
export interface ResourceRequest {
  verb: string;
  resource: string;
  subresource?: string;
  /** "" is the core group. Defaults to "". */
  apiGroup?: string;
  /** Unset for cluster-scoped requests. */
  namespace?: string;
  /** Unset or "" for requests without a name (list, create, …). */
  name?: string;
}

export interface NonResourceRequest {
  verb: string;
  nonResourceURL: string;
}

export type AccessRequest = ResourceRequest | NonResourceRequest;

export function isNonResourceRequest(r: AccessRequest): r is NonResourceRequest {
  return typeof (r as NonResourceRequest).nonResourceURL === 'string';
}

/** An authenticated identity as the API server sees it (user.Info): a name plus groups. */
export interface UserInfo {
  name: string;
  groups: string[];
}
