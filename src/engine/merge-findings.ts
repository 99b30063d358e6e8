/**
 * One finding per problem. Two kinds of reports describe the same problem:
 * - rules judging the same field of the same object (a hostPath volume breaks PSS baseline hostPathVolumes, PSS
 *   restricted volume types, and mounts a sensitive path: three rules, one field, one problem);
 * - one problem seen from several objects, named by the rules with the same `problems` key (a service account
 *   holding cluster-admin: from its binding, from itself, from the workload running as it).
 * Each group becomes one finding: the lead's message (else the most severe finding's), the highest severity, every
 * standard any of them cites, and the others kept under `related`. Exceptions were applied before, rule by rule,
 * so an exception for one rule leaves the others of the group standing.
 */
import type { ComplianceRefs, Finding, RelatedFinding } from '../core/model.js';
import { severityRank } from '../core/model.js';
import { isVulnerabilityRuleId } from '../analysis/vulns/findings.js';

/** Rules of these categories restate a standard in its generic words; a specific rule says what the field does. */
const GENERIC_CATEGORIES = new Set(['pod-security']);

function objectKey(f: Finding): string {
  const r = f.resource;
  return `${f.location?.file ?? ''}\0${r.apiVersion}\0${r.kind}\0${r.namespace ?? ''}\0${r.name}`;
}

function fieldKey(f: Finding): string {
  return `${objectKey(f)}\0${f.path}`;
}

/** Which finding heads a group: the lead, else the most severe, else a specific rule over a generic one. */
function heads(a: Finding, b: Finding, category: (id: string) => string | undefined): number {
  if (Boolean(a.lead) !== Boolean(b.lead)) return a.lead ? -1 : 1;
  const bySeverity = severityRank(b.severity) - severityRank(a.severity);
  if (bySeverity) return bySeverity;
  const ga = GENERIC_CATEGORIES.has(category(a.ruleId) ?? '') ? 1 : 0;
  const gb = GENERIC_CATEGORIES.has(category(b.ruleId) ?? '') ? 1 : 0;
  return ga - gb || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

const COMPLIANCE_KEYS = ['pss', 'pssChecks', 'cis', 'nsa', 'mitre'] as const;

/** Every standard the group cites: one finding's as it is; of several, each list without repeats, first seen first. */
function mergeCompliance(all: readonly Finding[]): ComplianceRefs | undefined {
  const cited = all.filter((f) => f.compliance);
  if (cited.length <= 1) return cited.length ? { ...cited[0].compliance } : undefined;
  const out: ComplianceRefs = {};
  for (const key of COMPLIANCE_KEYS) {
    // plain loops: flat() and flatMap() cost microseconds a call, and a large report merges thousands of groups
    let first: readonly string[] | undefined;
    let union: Set<string> | undefined;
    for (const f of cited) {
      const list = f.compliance![key];
      if (!list?.length) continue;
      if (!first) first = list;
      else {
        union ??= new Set(first);
        for (const v of list) union.add(v);
      }
    }
    if (first) (out as Record<string, string[]>)[key] = union ? [...union] : [...first];
  }
  return out;
}

function related(f: Finding): RelatedFinding {
  const r: RelatedFinding = { ruleId: f.ruleId, severity: f.severity, message: f.message, resource: f.resource, path: f.path };
  if (f.location) r.location = f.location;
  return r;
}

/**
 * Merges the findings that describe one problem. `category` gives a rule's category (to prefer a specific rule's
 * words over a generic standard's when severities tie). The order of first appearance is kept.
 */
export function mergeFindings(findings: readonly Finding[], category: (ruleId: string) => string | undefined = () => undefined): Finding[] {
  // each rule's category asked once (the CLI's search of the catalogue), not twice in every comparison of a sort
  const categories = new Map<string, string | undefined>();
  const categoryOf = (id: string) => (categories.has(id) ? categories.get(id) : categories.set(id, category(id)).get(id));
  // union-find over "same field" and "same problem"
  const parent = new Uint32Array(findings.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  // the first finding on each field, by object then path: one key string per object rather than one per finding
  // (findings of one object arrive together and share their resource reference), which is most of the memory a
  // merge of a large report takes
  const firstByField = new Map<string, Map<string, number>>();
  const firstByProblem = new Map<string, number>();
  let lastRef: Finding['resource'] | undefined;
  let lastFile: string | undefined;
  let fields: Map<string, number> | undefined;
  findings.forEach((f, i) => {
    // vulnerability findings (one per advisory, not rules judging a field) are never merged by field
    if (!isVulnerabilityRuleId(f.ruleId)) {
      const file = f.location?.file;
      if (f.resource !== lastRef || file !== lastFile || !fields) {
        const key = objectKey(f);
        fields = firstByField.get(key) ?? firstByField.set(key, new Map()).get(key)!;
        lastRef = f.resource;
        lastFile = file;
      }
      const j = fields.get(f.path);
      if (j === undefined) fields.set(f.path, i);
      else join(i, j);
    }
    for (const problem of f.problems ?? []) {
      const p = firstByProblem.get(problem);
      if (p === undefined) firstByProblem.set(problem, i);
      else join(i, p);
    }
  });
  // most findings stand alone: only groups of two or more get an array (a root is its group's first finding)
  const roots = new Uint32Array(findings.length);
  for (let i = 0; i < roots.length; i++) roots[i] = find(i);
  const size = new Uint32Array(findings.length);
  for (const r of roots) size[r]++;
  const groups = new Map<number, Finding[]>();
  roots.forEach((r, i) => {
    if (size[r] > 1) (groups.get(r) ?? groups.set(r, []).get(r)!).push(findings[i]);
  });
  const out: Finding[] = [];
  for (let i = 0; i < findings.length; i++) {
    if (roots[i] !== i) continue;
    const group = groups.get(i);
    if (!group) {
      out.push(strip(findings[i]));
      continue;
    }
    const sorted = group.sort((a, b) => heads(a, b, categoryOf));
    const head = sorted[0];
    // a copy: the report keeps its findings as the rules reported them (an upload merges them again)
    const { lead: _lead, ...merged } = head;
    const problems = new Set<string>();
    for (const f of sorted) for (const p of f.problems ?? []) problems.add(p);
    if (problems.size) merged.problems = [...problems];
    merged.severity = sorted.reduce((s, f) => (severityRank(f.severity) > severityRank(s) ? f.severity : s), head.severity);
    const compliance = mergeCompliance(sorted);
    if (compliance) merged.compliance = compliance;
    const headKey = `${head.ruleId}\0${fieldKey(head)}\0${head.message}`;
    const seen = new Set<string>([headKey]);
    const others: RelatedFinding[] = [];
    for (let k = 1; k < sorted.length; k++) {
      const f = sorted[k];
      const key = `${f.ruleId}\0${fieldKey(f)}\0${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      others.push(related(f));
    }
    if (others.length) merged.related = others;
    else if (merged.related) delete merged.related;
    out.push(merged);
  }
  return out;
}

/** `lead` only orders a merge; it is not part of the reported finding. */
function strip(f: Finding): Finding {
  if (!f.lead) return f;
  const { lead: _lead, ...rest } = f;
  return rest;
}

/** Every rule a (possibly merged) finding stands for. */
export function ruleIdsOf(f: Finding): string[] {
  return f.related?.length ? [...new Set([f.ruleId, ...f.related.map((r) => r.ruleId)])] : [f.ruleId];
}
