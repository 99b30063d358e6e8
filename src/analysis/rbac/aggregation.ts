/**
 * ClusterRole aggregation as the clusterrole-aggregation controller does it
 * (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go): an aggregated ClusterRole's
 * rules are *replaced* by the union of the rules of every ClusterRole matched by any of its
 * clusterRoleSelectors (itself excluded, matches taken in name order, duplicate rules dropped).
 * Aggregated roles may select other aggregated roles (admin ← edit ← view), so this runs to a fixed point.
 */
import type { PolicyRule, RbacRole } from './types.js';
import { selectorMatches } from './selector.js';

export function ruleId(r: PolicyRule): string {
  return JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
}

/** Effective rules per ClusterRole name. Roles without aggregationRule keep their declared rules. */
export function aggregateClusterRoles(clusterRoles: ReadonlyMap<string, RbacRole>): Map<string, PolicyRule[]> {
  const effective = new Map<string, PolicyRule[]>();
  const aggregated: RbacRole[] = [];
  for (const [name, role] of clusterRoles) {
    if (role.aggregationSelectors) {
      aggregated.push(role);
      effective.set(name, []);
    } else {
      effective.set(name, role.declaredRules);
    }
  }
  if (aggregated.length === 0) return effective;
  const sortedNames = [...clusterRoles.keys()].sort();
  // Which roles each aggregated role selects never changes: compute once.
  const sources = new Map<string, string[]>();
  for (const agg of aggregated) {
    sources.set(
      agg.name,
      sortedNames.filter((n) => {
        if (n === agg.name) return false;
        const labels = clusterRoles.get(n)?.labels ?? {};
        return (agg.aggregationSelectors ?? []).some((s) => selectorMatches(s, labels));
      }),
    );
  }
  for (let round = 0; round <= aggregated.length + 1; round++) {
    let changed = false;
    for (const agg of aggregated) {
      const seen = new Set<string>();
      const rules: PolicyRule[] = [];
      for (const src of sources.get(agg.name) ?? []) {
        for (const rule of effective.get(src) ?? []) {
          const id = ruleId(rule);
          if (!seen.has(id)) {
            seen.add(id);
            rules.push(rule);
          }
        }
      }
      if (rules.length !== (effective.get(agg.name) ?? []).length) changed = true;
      effective.set(agg.name, rules);
    }
    if (!changed) break;
  }
  return effective;
}
