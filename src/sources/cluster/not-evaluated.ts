/**
 * Kinds that could not be read → "could not evaluate" for every rule that needed them, in the scope that was
 * missing (one namespace, or the whole cluster). A rule needs the kinds it applies to, plus the kinds it reads
 * through the resource index (CROSS_OBJECT_READS: rule metadata has no field for that yet).
 */
import type { NotEvaluated } from '../../core/model.js';
import { POD_BEARING_KINDS } from '../../core/podspec.js';
import type { KindFailure } from './collect.js';

/** What the engine needs to know of a rule here. */
export interface RuleNeeds {
  id: string;
  kinds: readonly string[] | 'pod-bearing';
}

/** Kinds a rule reads from the whole resource set besides the kinds it checks. */
export const CROSS_OBJECT_READS: Readonly<Record<string, readonly string[]>> = {
  'service-account-token-automounted': ['ServiceAccount'],
  'namespace-pod-security-level': POD_BEARING_KINDS,
  'default-service-account-token-automounted': POD_BEARING_KINDS,
  'service-account-cluster-admin': ['ClusterRole'],
  'namespace-plaintext-east-west': ['PeerAuthentication', ...POD_BEARING_KINDS],
  'exposed-dangerous-workload': ['Service', 'Ingress', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'ServiceAccount', 'ClusterRoleBinding', 'RoleBinding', 'ClusterRole', 'Role'],
};

function neededKinds(rule: RuleNeeds): Set<string> {
  const kinds = new Set<string>(rule.kinds === 'pod-bearing' ? POD_BEARING_KINDS : rule.kinds);
  for (const k of CROSS_OBJECT_READS[rule.id] ?? []) kinds.add(k);
  return kinds;
}

export function scopeOf(f: KindFailure): string {
  return f.namespace === undefined ? 'cluster' : `namespace:${f.namespace}`;
}

/**
 * One entry per failure without a rule (for analyses and the report), and one per (rule, failure) for every rule
 * that needed the kind (these make the scan incomplete: exit code 3).
 */
export function notEvaluatedFromFailures(failures: readonly KindFailure[], rules: readonly RuleNeeds[]): NotEvaluated[] {
  const out: NotEvaluated[] = [];
  const needs = rules.map((r) => ({ id: r.id, kinds: neededKinds(r) }));
  for (const f of failures) {
    out.push({ scope: scopeOf(f), reason: `${f.kind}: ${f.reason}` });
    for (const r of needs) if (r.kinds.has(f.kind)) out.push({ ruleId: r.id, scope: scopeOf(f), reason: `needs ${f.kind}: ${f.reason}` });
  }
  return out;
}
