/**
 * Rule matching exactly as the Kubernetes RBAC authorizer does it:
 * k8s.io/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches,
 * ResourceNameMatches, NonResourceURLMatches) and plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows).
 */
import type { AccessRequest, NonResourceRequest, PolicyRule, ResourceRequest } from './types.js';
import { isNonResourceRequest } from './types.js';

export const VERB_ALL = '*';
export const API_GROUP_ALL = '*';
export const RESOURCE_ALL = '*';
export const NON_RESOURCE_ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === VERB_ALL || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups) if (g === API_GROUP_ALL || g === group) return true;
  return false;
}

/**
 * `combined` is "resource" or "resource/subresource". A rule entry "*\/sub" matches any resource's
 * subresource "sub" (upstream: length check + "*\/" prefix + suffix), but never the parent resource.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === RESOURCE_ALL || r === combined) return true;
    if (subresource.length === 0) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** An empty resourceNames list matches every name, including requests without a name. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  for (const n of rule.resourceNames) if (n === name) return true;
  return false;
}

/** "*" matches all; an entry ending in "*" matches by prefix ("/apis/*" matches "/apis/apps"). */
export function nonResourceURLMatches(rule: PolicyRule, url: string): boolean {
  for (const u of rule.nonResourceURLs) {
    if (u === NON_RESOURCE_ALL || u === url) return true;
    if (u.endsWith('*') && url.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function combinedResource(resource: string, subresource?: string): string {
  return subresource ? `${resource}/${subresource}` : resource;
}

export function resourceRuleAllows(rule: PolicyRule, req: ResourceRequest): boolean {
  const sub = req.subresource ?? '';
  return (
    verbMatches(rule, req.verb) &&
    apiGroupMatches(rule, req.apiGroup ?? '') &&
    resourceMatches(rule, combinedResource(req.resource, sub), sub) &&
    resourceNameMatches(rule, req.name ?? '')
  );
}

export function nonResourceRuleAllows(rule: PolicyRule, req: NonResourceRequest): boolean {
  return verbMatches(rule, req.verb) && nonResourceURLMatches(rule, req.nonResourceURL);
}

/** RuleAllows from plugin/pkg/auth/authorizer/rbac/rbac.go. */
export function ruleAllows(rule: PolicyRule, req: AccessRequest): boolean {
  return isNonResourceRequest(req) ? nonResourceRuleAllows(rule, req) : resourceRuleAllows(rule, req);
}

export function rulesAllow(rules: readonly PolicyRule[], req: AccessRequest): boolean {
  for (const r of rules) if (ruleAllows(r, req)) return true;
  return false;
}
