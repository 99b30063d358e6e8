/**
 * Trivy Operator's own reports (aquasecurity.github.io/v1alpha1; shapes from pkg/apis/aquasecurity/v1alpha1 of
 * aquasecurity/trivy-operator): VulnerabilityReport, ConfigAuditReport, RbacAssessmentReport, ExposedSecretReport,
 * InfraAssessmentReport and their Cluster* twins. Each kind is its own upload source (trivy-operator-vulnerability,
 * …), so importing one kind never marks another kind's findings fixed.
 *
 * - The object is the report's workload (controller owner reference, else the trivy-operator.resource.* labels). A
 *   ReplicaSet named <deployment>-<pod-template-hash> stands for its Deployment, where kubeguard reports: the
 *   Deployment controller names its ReplicaSets so, the hash being rand.SafeEncodeString of a decimal uint32, i.e.
 *   only the characters 4-9 b c d f (kubernetes pkg/controller/deployment/sync.go, apimachinery util/rand).
 * - A vulnerability is a finding whose rule id is the advisory id (as `scan` writes it, so the server's
 *   vulnerability pages and exceptions work unchanged), one per advisory and container: its packages are named in
 *   the message, with "; fixed in V" when Trivy knows the fix.
 * - A failed check is a finding; checks that mean one of our rules take our rule id (rule-map.ts).
 * - An exposed secret is a finding per rule and file; the matched text is never kept.
 */
import type { Finding, ResourceRef, Severity } from '../../core/model.js';
import { isSeverity } from '../../core/model.js';
import { escapeToken } from '../../core/pointer.js';
import { isVulnerabilityRuleId, UNKNOWN_SEVERITY_AS } from '../../analysis/vulns/findings.js';
import type { ImportedResults, Obj, Skipped } from './imported.js';
import { batchOf, skip, text } from './imported.js';
import { equivalentRule } from './rule-map.js';

export const TRIVY_GROUP = 'aquasecurity.github.io/';

const SOURCES: Record<string, string> = {
  VulnerabilityReport: 'trivy-operator-vulnerability',
  ClusterVulnerabilityReport: 'trivy-operator-vulnerability',
  ConfigAuditReport: 'trivy-operator-config-audit',
  ClusterConfigAuditReport: 'trivy-operator-config-audit',
  RbacAssessmentReport: 'trivy-operator-rbac-assessment',
  ClusterRbacAssessmentReport: 'trivy-operator-rbac-assessment',
  InfraAssessmentReport: 'trivy-operator-infra-assessment',
  ClusterInfraAssessmentReport: 'trivy-operator-infra-assessment',
  ExposedSecretReport: 'trivy-operator-exposed-secret',
};

export function isTrivyOperatorReport(o: Obj): boolean {
  return typeof o.apiVersion === 'string' && o.apiVersion.startsWith(TRIVY_GROUP) && typeof o.kind === 'string' && o.kind in SOURCES;
}

const MESSAGE_MAX = 4000;
const POD_TEMPLATE_HASH = /^(.+)-[4-9bcdf]{6,10}$/;

function severityOf(s: unknown): Severity {
  const lower = typeof s === 'string' ? s.toLowerCase() : '';
  return isSeverity(lower) && lower !== 'info' ? lower : UNKNOWN_SEVERITY_AS;
}

/** The workload a report is about, as kubeguard names it. */
export function reportSubject(report: Obj): ResourceRef | undefined {
  const meta = (report.metadata ?? {}) as Obj;
  const labels = (meta.labels ?? {}) as Obj;
  const owners = Array.isArray(meta.ownerReferences) ? (meta.ownerReferences as Obj[]) : [];
  const owner = owners.find((o) => o && o.controller === true) ?? owners[0];
  const kind = text(owner?.kind) || text(labels['trivy-operator.resource.kind']);
  const name = text(owner?.name) || text(labels['trivy-operator.resource.name']);
  if (!kind || !name) return undefined;
  const namespace = text(meta.namespace) || text(labels['trivy-operator.resource.namespace']);
  const ref: ResourceRef = { apiVersion: text(owner?.apiVersion) || (kind === 'ReplicaSet' ? 'apps/v1' : ''), kind, ...(namespace && { namespace }), name };
  const deployment = kind === 'ReplicaSet' ? POD_TEMPLATE_HASH.exec(name) : null;
  return deployment ? { apiVersion: 'apps/v1', kind: 'Deployment', ...(namespace && { namespace }), name: deployment[1] } : ref;
}

function imageOf(data: Obj): string {
  const registry = text((data.registry as Obj | undefined)?.server);
  const artifact = (data.artifact ?? {}) as Obj;
  const repo = text(artifact.repository);
  if (!repo) return '';
  return `${registry ? `${registry}/` : ''}${repo}${text(artifact.tag) ? `:${text(artifact.tag)}` : ''}${text(artifact.digest) ? `@${text(artifact.digest)}` : ''}`;
}

function clip(s: string): string {
  return s.length > MESSAGE_MAX ? `${s.slice(0, MESSAGE_MAX - 1)}…` : s;
}

function vulnerabilities(report: Obj, data: Obj, resource: ResourceRef, out: Finding[], skipped: Skipped): void {
  const container = text(((report.metadata as Obj | undefined)?.labels as Obj | undefined)?.['trivy-operator.container.name']);
  const image = imageOf(data);
  const where = image ? ` — image ${image}${container ? ` in container ${container}` : ''}` : '';
  const path = `/containers/${escapeToken(container || '-')}/image`;
  const byId = new Map<string, { severity: Severity; title: string; packages: string[]; fixed: Set<string> }>();
  for (const raw of Array.isArray(data.vulnerabilities) ? data.vulnerabilities : []) {
    const v = (raw ?? {}) as Obj;
    const id = text(v.vulnerabilityID);
    if (!id) {
      skip(skipped, 'vulnerability without vulnerabilityID');
      continue;
    }
    const ruleId = isVulnerabilityRuleId(id) ? id : `trivy-operator/${id}`.slice(0, 253);
    const e = byId.get(ruleId) ?? byId.set(ruleId, { severity: severityOf(v.severity), title: text(v.title), packages: [], fixed: new Set() }).get(ruleId)!;
    e.packages.push(`${text(v.resource) || 'a package'} ${text(v.installedVersion)}`.trim());
    if (text(v.fixedVersion)) e.fixed.add(text(v.fixedVersion));
  }
  for (const [ruleId, e] of byId) {
    const fix = e.fixed.size ? `fixed in ${[...e.fixed].join(',')}` : 'no fix published';
    out.push({ ruleId, severity: e.severity, message: clip(`${[...new Set(e.packages)].join(', ')} ${e.packages.length > 1 ? 'are' : 'is'} affected by ${ruleId}${e.title ? `: ${e.title}` : ''}; ${fix}${where}`), resource, path });
  }
}

function checks(data: Obj, resource: ResourceRef, out: Finding[], skipped: Skipped): void {
  for (const raw of Array.isArray(data.checks) ? data.checks : []) {
    const c = (raw ?? {}) as Obj;
    const id = text(c.checkID);
    if (!id) {
      skip(skipped, 'check without checkID');
      continue;
    }
    if (c.success !== false) continue;
    const ours = equivalentRule('trivy-operator', id);
    const messages = Array.isArray(c.messages) ? c.messages.filter((m): m is string => typeof m === 'string') : [];
    const message = `${id} ${text(c.title)}${messages.length ? `: ${messages.join('; ')}` : ''}`;
    const finding: Finding = { ruleId: ours ?? `trivy-operator/${id}`.slice(0, 253), severity: severityOf(c.severity), message: clip(message), resource, path: '' };
    if (text(c.remediation)) finding.remediation = clip(text(c.remediation));
    out.push(finding);
  }
}

function secrets(report: Obj, data: Obj, resource: ResourceRef, out: Finding[], skipped: Skipped): void {
  const container = text(((report.metadata as Obj | undefined)?.labels as Obj | undefined)?.['trivy-operator.container.name']);
  const image = imageOf(data);
  const seen = new Set<string>();
  for (const raw of Array.isArray(data.secrets) ? data.secrets : []) {
    const s = (raw ?? {}) as Obj;
    const rule = text(s.ruleID);
    if (!rule) {
      skip(skipped, 'exposed secret without ruleID');
      continue;
    }
    const file = text(s.target);
    const path = `/containers/${escapeToken(container || '-')}/image/files/${escapeToken(file || '-')}`;
    const key = `${rule}\n${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // `match` (Trivy masks the value, but keeps its surroundings) is deliberately not read
    out.push({ ruleId: `trivy-operator/${rule}`.slice(0, 253), severity: severityOf(s.severity), message: clip(`${text(s.title) || rule} secret in ${file || 'the image'}${image ? ` of image ${image}` : ''}${container ? ` (container ${container})` : ''}`), resource, path });
  }
}

/** The findings of Trivy Operator reports, one batch per report kind. */
export function trivyOperatorResults(reports: readonly Obj[], skipped: Skipped): ImportedResults[] {
  const batches = new Map<string, ImportedResults>();
  for (const report of reports) {
    const kind = String(report.kind);
    const source = SOURCES[kind];
    const resource = reportSubject(report);
    const data = report.report;
    if (!resource || !data || typeof data !== 'object') {
      skip(skipped, `${kind} without ${resource ? 'report' : 'owner or trivy-operator.resource labels'}`);
      continue;
    }
    const batch = batchOf(batches, source, 'cluster');
    if (kind.endsWith('VulnerabilityReport')) vulnerabilities(report, data as Obj, resource, batch.findings, skipped);
    else if (kind === 'ExposedSecretReport') secrets(report, data as Obj, resource, batch.findings, skipped);
    else checks(data as Obj, resource, batch.findings, skipped);
  }
  return [...batches.values()];
}
