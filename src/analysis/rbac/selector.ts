/**
 * Label selectors (metav1.LabelSelector) as used by ClusterRole aggregationRule.clusterRoleSelectors.
 * Semantics from k8s.io/apimachinery pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector: every
 * matchLabels pair and every matchExpressions requirement must hold; an empty selector matches everything.
 * An unknown operator makes the selector invalid, which matches nothing (the conversion fails upstream).
 */
import type { LabelSelector } from './types.js';

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[req.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
