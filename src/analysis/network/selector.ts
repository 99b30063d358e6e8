/**
 * Kubernetes label selectors (metav1.LabelSelector): matchLabels AND matchExpressions.
 *
 * Semantics from the Kubernetes API reference (LabelSelector) and
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements :
 * - all requirements are ANDed; matchLabels {k: v} is the requirement `k In (v)`;
 * - an empty selector `{}` matches every object; a null/absent selector is handled by the caller
 *   (for NetworkPolicy peers it means "this dimension is not constrained");
 * - `In` / `NotIn` require a non-empty values list; `Exists` / `DoesNotExist` require an empty one;
 * - `NotIn` matches objects that do not carry the key at all (apimachinery labels.Requirement.Matches).
 */
import { isJsonMap as isRecord } from '../../core/json.js';
import type { LabelSelector as LabelSelectorSpec, LabelSelectorRequirement } from '../../core/label-selector.js';
import { requirementMatches } from '../../core/label-selector.js';

export type { LabelSelectorSpec, LabelSelectorRequirement };

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = LabelSelectorRequirement['operator'];

/** A compiled selector: a predicate plus a canonical key (equal keys select equal sets). */
export interface LabelSelector {
  readonly key: string;
  /** True for `{}`: selects everything. */
  readonly matchesAll: boolean;
  matches(labels: Labels): boolean;
}

export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

const OPERATORS = new Set<string>(['In', 'NotIn', 'Exists', 'DoesNotExist']);

interface Req {
  key: string;
  op: SelectorOperator;
  values: Set<string>;
  listed: (value: string) => boolean;
}

/** Reads a selector from untrusted JSON; throws SelectorError on malformed input. */
export function parseSelectorSpec(raw: unknown): LabelSelectorSpec {
  if (raw === null || raw === undefined) return {};
  if (!isRecord(raw)) throw new SelectorError('label selector must be an object');
  const spec: LabelSelectorSpec = {};
  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (!isRecord(raw.matchLabels)) throw new SelectorError('matchLabels must be a map');
    const ml: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw.matchLabels)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new SelectorError(`matchLabels.${k} must be a string`);
      }
      ml[k] = String(v);
    }
    spec.matchLabels = ml;
  }
  if (raw.matchExpressions !== undefined && raw.matchExpressions !== null) {
    if (!Array.isArray(raw.matchExpressions)) throw new SelectorError('matchExpressions must be a list');
    spec.matchExpressions = raw.matchExpressions.map((e, i) => {
      if (!isRecord(e) || typeof e.key !== 'string') throw new SelectorError(`matchExpressions[${i}] needs a key`);
      if (typeof e.operator !== 'string' || !OPERATORS.has(e.operator)) {
        throw new SelectorError(`matchExpressions[${i}].operator must be In, NotIn, Exists or DoesNotExist`);
      }
      const values = Array.isArray(e.values) ? e.values.map((v) => String(v)) : undefined;
      return { key: e.key, operator: e.operator as SelectorOperator, ...(values ? { values } : {}) };
    });
  }
  return spec;
}

/** Compiles a selector spec. Invalid operator/value combinations throw SelectorError (the API server rejects them). */
export function compileSelector(spec: LabelSelectorSpec): LabelSelector {
  const reqs: Req[] = [];
  const req = (key: string, op: SelectorOperator, values: Set<string>): Req => ({ key, op, values, listed: (v) => values.has(v) });
  for (const [k, v] of Object.entries(spec.matchLabels ?? {})) reqs.push(req(k, 'In', new Set([v])));
  for (const e of spec.matchExpressions ?? []) {
    const values = e.values ?? [];
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
      throw new SelectorError(`operator ${e.operator} on "${e.key}" needs at least one value`);
    }
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) {
      throw new SelectorError(`operator ${e.operator} on "${e.key}" takes no values`);
    }
    reqs.push(req(e.key, e.operator, new Set(values)));
  }
  const key = reqs
    .map((r) => `${r.key}|${r.op}|${[...r.values].sort().join(',')}`)
    .sort()
    .join(';');
  return {
    key: `{${key}}`,
    matchesAll: reqs.length === 0,
    matches(labels: Labels): boolean {
      for (const r of reqs) if (!requirementMatches(r.op, r.key, r.listed, labels)) return false;
      return true;
    },
  };
}

/** parseSelectorSpec + compileSelector. */
export function selectorFrom(raw: unknown): LabelSelector {
  return compileSelector(parseSelectorSpec(raw));
}

/** Renders a selector the way kubectl prints one (`app=web,tier notin (db)`), `<all>` when empty. */
export function formatSelector(spec: LabelSelectorSpec): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(spec.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of spec.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<all>';
}
