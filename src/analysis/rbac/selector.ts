/**
 * Label selectors (metav1.LabelSelector) as used by ClusterRole aggregationRule.clusterRoleSelectors.
 * The matching is core's (k8s.io/apimachinery LabelSelectorAsSelector semantics); an unknown operator makes the
 * selector invalid, which matches nothing (the conversion fails upstream) — core does the same.
 */
import { matchesSelector, type LabelSelector as CoreSelector } from '../../core/label-selector.js';
import type { LabelSelector } from './types.js';

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  // RBAC input keeps operators as plain strings (it is untrusted); core treats unknown ones as matching nothing.
  return matchesSelector(selector as CoreSelector, labels);
}
