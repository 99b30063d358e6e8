/**
 * Results as Kubernetes report objects, a YAML stream: `policyreport` writes wgpolicyk8s.io/v1alpha2
 * PolicyReport / ClusterPolicyReport, `openreports` writes openreports.io/v1alpha1 Report / ClusterReport (the
 * same result shape; openreports adds a report-level `source`). One report per namespace plus one cluster report
 * for cluster-scoped objects, each bounded (at most MAX_RESULTS results and about MAX_BYTES of JSON) — a large
 * namespace is split into numbered parts, never one object that etcd refuses (its default request limit is
 * 1.5 MiB). Findings are `fail`, checks that could not evaluate an object are `error`, excepted findings are `skip`
 * (as Kyverno reports policy exceptions). Field definitions: openreports/reports-api apis/openreports.io/v1alpha1
 * and kubernetes-sigs/wg-policy-prototypes policy-report v1alpha2.
 */
import yaml from 'js-yaml';
import type { ResourceRef, ScanReport, Severity } from '../core/model.js';
import { isClusterScoped } from '../core/ref.js';
import { fingerprint, where } from './fingerprint.js';
import type { RenderContext, Reporter } from './types.js';

export const MAX_RESULTS = 1000;
export const MAX_BYTES = 1024 * 1024;
const MESSAGE_MAX = 1024;

type ResultKind = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

interface ReportResult {
  source: string;
  policy: string;
  category?: string;
  severity?: Severity;
  timestamp: { seconds: number; nanos: number };
  result: ResultKind;
  scored: boolean;
  resources?: { apiVersion: string; kind: string; name: string; namespace?: string }[];
  message?: string;
  properties?: Record<string, string>;
}

interface Flavour {
  apiVersion: string;
  namespaced: string;
  cluster: string;
  /** openreports.io carries the producing tool at report level too. */
  reportSource: boolean;
}

const FLAVOURS: Record<'policyreport' | 'openreports', Flavour> = {
  policyreport: { apiVersion: 'wgpolicyk8s.io/v1alpha2', namespaced: 'PolicyReport', cluster: 'ClusterPolicyReport', reportSource: false },
  openreports: { apiVersion: 'openreports.io/v1alpha1', namespaced: 'Report', cluster: 'ClusterReport', reportSource: true },
};

/** The namespace a result's report lives in; undefined for the cluster report. */
function namespaceOfRef(ref: ResourceRef | undefined): string | undefined {
  if (!ref || isClusterScoped(ref.kind) || ref.kind === 'ContainerImage') return undefined;
  return ref.namespace || 'default';
}

function subject(ref: ResourceRef): NonNullable<ReportResult['resources']>[number] {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, ...(ref.namespace && { namespace: ref.namespace }) };
}

const cut = (s: string) => (s.length > MESSAGE_MAX ? s.slice(0, MESSAGE_MAX - 1) + '…' : s);

function results(report: ScanReport, ctx: RenderContext): { ns: string | undefined; result: ReportResult }[] {
  const at = ctx.now ?? new Date();
  const timestamp = { seconds: Math.floor(at.getTime() / 1000), nanos: 0 };
  const category = new Map(ctx.rules.map((r) => [r.id, r.category as string]));
  const source = report.tool.name;
  const out: { ns: string | undefined; result: ReportResult }[] = [];
  for (const f of report.findings) {
    const c = category.get(f.ruleId) ?? (f.resource.kind === 'ContainerImage' ? 'vulnerabilities' : undefined);
    out.push({
      ns: namespaceOfRef(f.resource),
      result: {
        source,
        policy: f.ruleId,
        ...(c && { category: c }),
        severity: f.severity,
        timestamp,
        result: 'fail',
        scored: true,
        resources: [subject(f.resource)],
        message: cut(f.message),
        properties: { path: f.path, fingerprint: fingerprint(f), ...(f.location && { location: where(f) }) },
      },
    });
  }
  for (const n of report.notEvaluated) {
    if (!n.resource && !n.ruleId) continue;
    out.push({
      ns: namespaceOfRef(n.resource),
      result: { source, policy: n.ruleId ?? 'kubeguard', timestamp, result: 'error', scored: false, ...(n.resource && { resources: [subject(n.resource)] }), message: cut(`could not evaluate: ${n.reason}`) },
    });
  }
  for (const s of report.suppressed) {
    out.push({
      ns: namespaceOfRef(s.resource),
      result: {
        source,
        policy: s.ruleId,
        timestamp,
        result: 'skip',
        scored: false,
        resources: [subject(s.resource)],
        message: cut(`excepted (${s.source}): ${s.reason}`),
        properties: { exception: s.source, ...(s.owner && { owner: s.owner }), ...(s.ticket && { ticket: s.ticket }), ...(s.expires && { expires: s.expires }) },
      },
    });
  }
  return out;
}

function summary(rs: readonly ReportResult[]): Record<ResultKind, number> {
  const s: Record<ResultKind, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of rs) s[r.result]++;
  return s;
}

const key = (r: ReportResult) => `${r.policy}\u0000${r.resources?.[0]?.kind ?? ''}\u0000${r.resources?.[0]?.name ?? ''}\u0000${r.properties?.path ?? ''}`;

function* render(report: ScanReport, ctx: RenderContext, flavour: Flavour): Generator<string> {
  const byNs = new Map<string, ReportResult[]>();
  for (const { ns, result } of results(report, ctx)) {
    const k = ns ?? '';
    (byNs.get(k) ?? byNs.set(k, []).get(k)!).push(result);
  }
  // the cluster report is written even when empty: it says the scan ran and found nothing cluster-wide
  if (!byNs.has('')) byNs.set('', []);
  const source = report.tool.name;
  for (const ns of [...byNs.keys()].sort()) {
    const rs = byNs.get(ns)!.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const parts: ReportResult[][] = [[]];
    let bytes = 0;
    for (const r of rs) {
      const size = JSON.stringify(r).length;
      const part = parts[parts.length - 1];
      if (part.length && (part.length >= MAX_RESULTS || bytes + size > MAX_BYTES)) {
        parts.push([r]);
        bytes = size;
      } else {
        part.push(r);
        bytes += size;
      }
    }
    for (let i = 0; i < parts.length; i++) {
      const base = ns ? `${source}-${ns}` : `${source}-cluster`;
      const name = (i === 0 ? base : `${base}-${i + 1}`).slice(0, 253);
      const doc = {
        apiVersion: flavour.apiVersion,
        kind: ns ? flavour.namespaced : flavour.cluster,
        metadata: {
          name,
          ...(ns && { namespace: ns }),
          labels: { 'app.kubernetes.io/managed-by': source, ...(parts.length > 1 && { 'kubeguard.io/report-part': `${i + 1}-of-${parts.length}` }) },
        },
        ...(flavour.reportSource && { source }),
        summary: summary(parts[i]),
        results: parts[i],
      };
      yield '---\n' + yaml.dump(doc, { noRefs: true, lineWidth: -1, sortKeys: false });
    }
  }
}

export const policyreport: Reporter = (report, ctx) => render(report, ctx, FLAVOURS.policyreport);
export const openreports: Reporter = (report, ctx) => render(report, ctx, FLAVOURS.openreports);
