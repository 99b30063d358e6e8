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
    const values = req.values ?? [];
    if (!requirementMatches(req.operator, req.key, (v) => values.includes(v), l)) return false;
  }
  return true;
}

/**
 * Whether labels satisfy one requirement (apimachinery labels.Requirement.Matches): `In` needs the key with a
 * listed value, `NotIn` is met by a missing key too, `Exists`/`DoesNotExist` look at the key only. An unknown
 * operator matches nothing (the API server rejects it). `listed` says whether a value is among the requirement's.
 */
export function requirementMatches(operator: string, key: string, listed: (value: string) => boolean, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  switch (operator) {
    case 'In':
      return has && listed(labels[key]);
    case 'NotIn':
      return !has || !listed(labels[key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}
