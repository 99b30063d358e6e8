/**
 * Reading other tools' results: wgpolicyk8s.io PolicyReport / ClusterPolicyReport (Kyverno, Kubewarden, Trivy
 * Operator through its policy-reporter adapter, kube-bench through its adapter) and openreports.io Report /
 * ClusterReport, as files or `kubectl get … -o yaml|json` lists. Each result becomes, per tool (its `source`):
 * fail/warn → a finding; error → a hold (state kept); skip → an excepted finding. A check that means one of our
 * rules is named by our rule id (rule-map.ts), so the server can keep one finding per problem.
 */
import type { ResourceRef, Severity } from '../../core/model.js';
import { isSeverity } from '../../core/model.js';
import type { ImportedResults, Obj, Skipped } from './imported.js';
import { batchOf, SOURCE_NAME, skip } from './imported.js';
import { equivalentRule } from './rule-map.js';

const KINDS = new Set(['PolicyReport', 'ClusterPolicyReport', 'Report', 'ClusterReport']);
const GROUPS = /^(wgpolicyk8s\.io|openreports\.io|reports\.x-k8s\.io)\//;

export function isPolicyReport(o: Obj): boolean {
  return typeof o.kind === 'string' && KINDS.has(o.kind) && typeof o.apiVersion === 'string' && GROUPS.test(o.apiVersion);
}

function refOf(r: Obj): ResourceRef | undefined {
  if (typeof r.kind !== 'string' || typeof r.name !== 'string') return undefined;
  return { apiVersion: typeof r.apiVersion === 'string' ? r.apiVersion : '', kind: r.kind, ...(typeof r.namespace === 'string' && r.namespace && { namespace: r.namespace }), name: r.name };
}

export function policyReportResults(reports: readonly Obj[], skipped: Skipped): ImportedResults[] {
  const bySource = new Map<string, ImportedResults>();
  const get = (source: string) => batchOf(bySource, source, 'cluster');
  for (const report of reports) {
    const scope = report.scope && typeof report.scope === 'object' ? refOf(report.scope as Obj) : undefined;
    for (const raw of Array.isArray(report.results) ? report.results : []) {
      const r = (raw ?? {}) as Obj;
      const source = SOURCE_NAME(String(r.source ?? report.source ?? 'unknown'));
      const policy = typeof r.policy === 'string' ? r.policy : undefined;
      if (!policy) {
        skip(skipped, `${String(report.kind)} result without policy`);
        continue;
      }
      const rule = typeof r.rule === 'string' && r.rule ? r.rule : undefined;
      const ours = equivalentRule(source, policy);
      const ruleId = ours ?? `${source}/${policy}`.slice(0, 253);
      const severity: Severity = isSeverity(r.severity) ? r.severity : 'medium';
      const subjects = (Array.isArray(r.resources) ? r.resources : []).map((x) => refOf(x as Obj)).filter((x): x is ResourceRef => x !== undefined);
      const objects = subjects.length ? subjects : scope ? [scope] : [];
      const path = ours ? '' : rule ? `/${rule.replace(/~/g, '~0').replace(/\//g, '~1')}` : '';
      const message = typeof r.message === 'string' ? r.message.slice(0, 4000) : `${policy}${rule ? ` / ${rule}` : ''}`;
      const out = get(source);
      for (const resource of objects) {
        if (r.result === 'fail' || r.result === 'warn') out.findings.push({ ruleId, severity, message, resource, path });
        else if (r.result === 'error') out.held.push({ ruleId, resource });
        else if (r.result === 'skip') out.suppressed.push({ ruleId, severity, resource, path, reason: message, source: 'tool' });
      }
    }
  }
  return [...bySource.values()];
}
