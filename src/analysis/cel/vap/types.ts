/**
 * ValidatingAdmissionPolicy and its binding (admissionregistration.k8s.io/v1), and the admission request a
 * policy judges. Field names are the API's, so objects read from YAML are used as they are.
 */
import type { KubeObject } from '../../../core/model.js';
import type { LabelSelector as LabelSelectorLike } from '../../../core/label-selector.js';

export type ValidationAction = 'Deny' | 'Warn' | 'Audit';
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface NamedRuleWithOperations {
  apiGroups?: string[];
  apiVersions?: string[];
  operations?: string[];
  resources?: string[];
  scope?: 'Cluster' | 'Namespaced' | '*';
  resourceNames?: string[];
}

export interface MatchResources {
  namespaceSelector?: LabelSelectorLike;
  objectSelector?: LabelSelectorLike;
  resourceRules?: NamedRuleWithOperations[];
  excludeResourceRules?: NamedRuleWithOperations[];
  matchPolicy?: 'Exact' | 'Equivalent';
}

export interface ValidatingAdmissionPolicy extends KubeObject {
  spec?: {
    paramKind?: { apiVersion?: string; kind?: string };
    matchConstraints?: MatchResources;
    validations?: Array<{ expression?: string; message?: string; messageExpression?: string; reason?: string }>;
    failurePolicy?: 'Fail' | 'Ignore';
    auditAnnotations?: Array<{ key?: string; valueExpression?: string }>;
    matchConditions?: Array<{ name?: string; expression?: string }>;
    variables?: Array<{ name?: string; expression?: string }>;
  };
}

export interface ValidatingAdmissionPolicyBinding extends KubeObject {
  spec?: {
    policyName?: string;
    paramRef?: { name?: string; namespace?: string; selector?: LabelSelectorLike; parameterNotFoundAction?: 'Allow' | 'Deny' };
    matchResources?: MatchResources;
    validationActions?: ValidationAction[];
  };
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** An admission request, as the API server hands it to policies (admission.Attributes). */
export interface AdmissionAttributes {
  operation: Operation;
  object: KubeObject | null;
  oldObject: KubeObject | null;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource: string;
  name: string;
  /** '' for cluster-scoped objects */
  namespace: string;
  userInfo: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  dryRun?: boolean;
  options?: KubeObject | null;
}
