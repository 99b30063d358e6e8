/**
 * The objects that carry policies of their own — ValidatingAdmissionPolicies with their bindings, and kubeguard's
 * CEL `Rule` objects — recognised without loading the CEL engine, so that a scan with no policy never loads it.
 */
import type { KubeObject, Resource } from '../core/model.js';
import { splitApiVersion } from '../core/api-resources.js';

export const VAP_GROUP = 'admissionregistration.k8s.io';
export const CEL_RULE_API_VERSION = 'kubeguard.io/v1alpha1';

export function isVap(o: KubeObject): boolean {
  return o.kind === 'ValidatingAdmissionPolicy' && splitApiVersion(o.apiVersion).group === VAP_GROUP;
}
export function isVapBinding(o: KubeObject): boolean {
  return o.kind === 'ValidatingAdmissionPolicyBinding' && splitApiVersion(o.apiVersion).group === VAP_GROUP;
}
export function isCelRuleObject(o: KubeObject): boolean {
  return o.apiVersion === CEL_RULE_API_VERSION && o.kind === 'Rule';
}

/**
 * Whether a scan has policies to compile: custom rules in the config, CEL rules among the policy files, or
 * admission policies (or bindings) anywhere — the inputs celRules and vapRules read.
 */
export function hasPolicies(config: { customRules?: readonly unknown[] }, resources: readonly Resource[], policyFiles: readonly Resource[]): boolean {
  if (config.customRules?.length) return true;
  if (policyFiles.some((r) => isCelRuleObject(r.object))) return true;
  return [...resources, ...policyFiles].some((r) => isVap(r.object) || isVapBinding(r.object));
}
