/**
 * An inverted index from (verb, resource) to the roles having a rule that names them, so a who-can query
 * looks only at roles that can possibly match instead of every role. Wildcards are indexed under "*"
 * (and "*\/sub"), and a query consults exactly the keys the matcher would accept; the exact rule match
 * (API group, resourceNames) is still done by matching.ts on the candidates.
 */
import type { PolicyRule } from './types.js';
import { combinedResource } from './matching.js';

export class RuleIndex {
  private readonly byVerb = new Map<string, Map<string, Set<string>>>();
  private readonly nonResource = new Set<string>();

  add(roleKey: string, rules: readonly PolicyRule[]): void {
    for (const rule of rules) {
      if (rule.nonResourceURLs.length > 0) this.nonResource.add(roleKey);
      if (rule.resources.length === 0) continue;
      for (const verb of rule.verbs) {
        let byRes = this.byVerb.get(verb);
        if (!byRes) this.byVerb.set(verb, (byRes = new Map()));
        for (const res of rule.resources) {
          let set = byRes.get(res);
          if (!set) byRes.set(res, (set = new Set()));
          set.add(roleKey);
        }
      }
    }
  }

  /** Role keys that may allow the resource request (a superset of the exact answer). */
  resourceCandidates(verb: string, resource: string, subresource = ''): Set<string> {
    const out = new Set<string>();
    const resKeys = [combinedResource(resource, subresource), '*'];
    if (subresource) resKeys.push(`*/${subresource}`);
    for (const v of verb === '*' ? [verb] : [verb, '*']) {
      const byRes = this.byVerb.get(v);
      if (!byRes) continue;
      for (const rk of resKeys) for (const key of byRes.get(rk) ?? []) out.add(key);
    }
    return out;
  }

  /** Role keys with at least one nonResourceURLs rule. */
  nonResourceCandidates(): ReadonlySet<string> {
    return this.nonResource;
  }
}
