/**
 * Resolves a binding's roleRef against the scanned objects plus the bootstrap policy, through one RBAC
 * index per scan (memoised on the scan's read-only ResourceIndex, so rules stay pure and the index is
 * built once however many bindings are checked).
 */
import type { ResourceIndex } from '../../core/resource-index.js';
import type { KubeObject } from '../../core/model.js';
import { RbacAnalysis } from '../../analysis/rbac/analysis.js';
import { parseBinding } from '../../analysis/rbac/parse.js';
import type { PolicyRule, RbacBinding } from '../../analysis/rbac/types.js';
import { roleKey } from '../../analysis/rbac/types.js';

export function rbacAnalysisOf(resources: ResourceIndex): RbacAnalysis {
  return resources.memo('rbac/analysis', (ix) => new RbacAnalysis(ix.all));
}

export interface ResolvedBinding {
  binding: RbacBinding;
  /** Rules of the referenced role (aggregation applied), or undefined when the role is not known. */
  rules?: readonly PolicyRule[];
}

export function resolveBinding(resources: ResourceIndex, obj: KubeObject): ResolvedBinding | undefined {
  const binding = parseBinding(obj);
  if (!binding) return undefined;
  const key = binding.roleRef.kind === 'Role' ? roleKey('Role', binding.roleRef.name, binding.namespace) : roleKey('ClusterRole', binding.roleRef.name);
  const role = rbacAnalysisOf(resources).index.role(key);
  return role ? { binding, rules: role.rules } : { binding };
}
