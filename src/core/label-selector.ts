/**
 * Kubernetes label selectors (metav1.LabelSelector): matchLabels AND matchExpressions, all ANDed.
 * An empty selector matches everything; a null/absent one is the caller's decision (often "nothing").
 * Semantics: k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector.
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export function matchesSelector(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    switch (req.operator) {
      case 'In':
        if (!has || !(req.values ?? []).includes(l[req.key])) return false;
        break;
      case 'NotIn':
        if (has && (req.values ?? []).includes(l[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // unknown operator: the API server rejects it, so it selects nothing
    }
  }
  return true;
}
