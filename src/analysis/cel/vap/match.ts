/**
 * Whether a policy's matchConstraints (or a binding's matchResources) select an admission request:
 * namespace and object selectors, resource rules minus exclusions, matchPolicy.
 * Semantics: k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching.go and
 * webhook/predicates/{rules,namespace,object}.
 */
import { matchesSelector, type LabelSelector } from '../../../core/label-selector.js';
import { equivalentGroups } from '../../../core/api-resources.js';
import type { AdmissionAttributes, MatchResources, NamedRuleWithOperations } from './types.js';

/** What the caller knows about the request's namespace: its labels, or that they are unknown. */
export type NamespaceLabels = Record<string, string> | 'unknown';

export type MatchResult = { matches: true } | { matches: false } | { matches: 'unknown'; reason: string };

function isEmptySelector(s: LabelSelector | undefined): boolean {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

function onlyNameLabel(s: LabelSelector): boolean {
  const keys = [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((e) => e.key)];
  return keys.every((k) => k === 'kubernetes.io/metadata.name');
}

function listHas(list: string[] | undefined, v: string): boolean {
  if (!list) return false;
  for (const x of list) if (x === '*' || x === v) return true;
  return false;
}

function resourceListed(resources: string[] | undefined, resource: string, subResource: string): boolean {
  for (const r of resources ?? []) {
    const i = r.indexOf('/');
    const res = i < 0 ? r : r.slice(0, i);
    const sub = i < 0 ? '' : r.slice(i + 1);
    if ((res === '*' || res === resource) && (sub === '*' || sub === subResource)) return true;
  }
  return false;
}

function ruleMatches(rule: NamedRuleWithOperations, a: AdmissionAttributes, group: string, version: string, resource: string): boolean {
  if (!listHas(rule.operations, a.operation)) return false;
  if (!listHas(rule.apiGroups, group) || !listHas(rule.apiVersions, version)) return false;
  if (!resourceListed(rule.resources, resource, a.subResource)) return false;
  const scope = rule.scope ?? '*';
  const clusterScoped = resource === 'namespaces' || a.namespace === '';
  if (scope === 'Namespaced' && clusterScoped) return false;
  if (scope === 'Cluster' && !clusterScoped) return false;
  if (scope !== '*' && scope !== 'Namespaced' && scope !== 'Cluster') return false;
  return (rule.resourceNames ?? []).length === 0 || rule.resourceNames!.includes(a.name);
}

function matchesRules(rules: NamedRuleWithOperations[], policy: MatchResources['matchPolicy'], a: AdmissionAttributes): boolean {
  const { group, version, resource } = a.resource;
  for (const r of rules) if (ruleMatches(r, a, group, version, resource)) return true;
  if (policy === 'Exact') return false;
  // Equivalent (the default): the same resource served in another version or an older group
  return rules.some((r) => equivalentGroups(group, resource).some((g) => (r.apiVersions ?? []).some((v) => ruleMatches(r, a, g, v === '*' ? version : v, resource))));
}

export function matchResources(m: MatchResources | undefined, a: AdmissionAttributes, nsLabels: NamespaceLabels): MatchResult {
  const mr = m ?? {};
  // namespace selector: cluster-scoped objects always match; a Namespace is judged by its own labels
  let nsUnknown = false;
  if (!isEmptySelector(mr.namespaceSelector) && (a.namespace !== '' || a.resource.resource === 'namespaces')) {
    const labels = a.resource.resource === 'namespaces' ? ((a.object ?? a.oldObject)?.metadata?.labels ?? {}) : nsLabels;
    const byName = { 'kubernetes.io/metadata.name': a.namespace };
    if (labels === 'unknown' && onlyNameLabel(mr.namespaceSelector!)) {
      // every namespace carries kubernetes.io/metadata.name = its name (set by the API server since 1.22)
      if (!matchesSelector(mr.namespaceSelector!, byName)) return { matches: false };
    } else if (labels === 'unknown') nsUnknown = true;
    else if (!matchesSelector(mr.namespaceSelector!, labels)) return { matches: false };
  }
  if (!isEmptySelector(mr.objectSelector)) {
    const sel = mr.objectSelector!;
    const ok = [a.object, a.oldObject].some((o) => o && matchesSelector(sel, o.metadata?.labels ?? {}));
    if (!ok) return { matches: false };
  }
  if ((mr.excludeResourceRules ?? []).length && matchesRules(mr.excludeResourceRules!, mr.matchPolicy, a)) return { matches: false };
  if ((mr.resourceRules ?? []).length && !matchesRules(mr.resourceRules!, mr.matchPolicy, a)) return { matches: false };
  if (nsUnknown) return { matches: 'unknown', reason: `the labels of namespace ${a.namespace} are not known (its Namespace object was not among the inputs)` };
  return { matches: true };
}
