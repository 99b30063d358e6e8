/**
 * Image vulnerabilities per deployed workload: which workloads run which images, what those images carry, and
 * how much that matters — ranked by severity, then by the workload's exposure and privileges. Pure: the caller
 * passes the objects (manifests, a snapshot or a live cluster read) and an image scanner; each distinct image
 * reference is scanned once (callers key their own cache by digest when they resolve one).
 *
 * Exposure: a Service of type LoadBalancer or NodePort (or with externalIPs) selecting the pod template, or an
 * Ingress routing to such a selecting Service → "internet"; hostNetwork or a hostPort → "node"; otherwise
 * "cluster". Privileges: privileged containers, added capabilities, allowPrivilegeEscalation not disabled,
 * running as root (runAsUser 0 or runAsNonRoot not set), hostPID/hostIPC/hostNetwork, hostPath volumes.
 * Controller-owned objects (a ReplicaSet of a Deployment, its Pods) are reported through their owner only.
 *
 * Score (for ranking, not a CVSS): Σ severity weights (critical 10, high 5, medium 2, low 0.5, info 0) ×
 * (1 + exposure: internet 1, node 0.5, cluster 0) × (1 + 0.25 per privilege signal, at most 2).
 */
import type { KubeObject, ResourceRef, Severity } from '../../core/model.js';
import { allContainers, podTemplateOf } from '../../core/podspec.js';
import { namespaceOf, refOf } from '../../core/ref.js';
import { ResourceIndex } from '../../core/resource-index.js';
import { UNKNOWN_SEVERITY_AS } from './findings.js';
import type { Vulnerability } from './scan.js';
import { isJsonMap as isObj } from '../../core/json.js';

export type Exposure = 'internet' | 'node' | 'cluster';

export interface WorkloadImage {
  /** JSON pointer of the container in the workload object. */
  path: string;
  container: string;
  image: string;
  /** undefined when the image could not be scanned (reported, never read as clean). */
  vulnerabilities?: Vulnerability[];
}

export interface WorkloadVulnerabilities {
  resource: ResourceRef;
  images: WorkloadImage[];
  exposure: Exposure;
  exposureReasons: string[];
  privileges: string[];
  bySeverity: Record<Severity, number>;
  /** Distinct vulnerability ids over all images. */
  total: number;
  fixable: number;
  score: number;
  /** Images that could not be scanned. */
  notScanned: string[];
}

const WEIGHT: Record<Severity, number> = { critical: 10, high: 5, medium: 2, low: 0.5, info: 0 };
const EXPOSURE_FACTOR: Record<Exposure, number> = { internet: 1, node: 0.5, cluster: 0 };

type Json = Record<string, unknown>;

function selects(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isObj(selector) || Object.keys(selector).length === 0) return false; // no selector: selects nothing here
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function exposureOf(obj: KubeObject, all: readonly KubeObject[]): { exposure: Exposure; reasons: string[] } {
  const t = podTemplateOf(obj);
  const ns = namespaceOf(obj) ?? 'default';
  const labels = t?.metadata.labels;
  const reasons: string[] = [];
  const services = all.filter((o) => o.kind === 'Service' && (namespaceOf(o) ?? 'default') === ns && selects((o.spec as Json | undefined)?.selector, labels));
  const external = new Set<string>();
  for (const svc of services) {
    const spec = (svc.spec ?? {}) as Json;
    const type = spec.type;
    if (type === 'LoadBalancer' || type === 'NodePort' || (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)) {
      reasons.push(`Service ${svc.metadata?.name} (${String(type ?? 'ClusterIP')}${Array.isArray(spec.externalIPs) && spec.externalIPs.length ? ', externalIPs' : ''})`);
      external.add(svc.metadata?.name ?? '');
    }
  }
  const selecting = new Set(services.map((s) => s.metadata?.name));
  for (const ing of all.filter((o) => o.kind === 'Ingress' && (namespaceOf(o) ?? 'default') === ns)) {
    const backends: string[] = [];
    const spec = (ing.spec ?? {}) as Json;
    const def = (spec.defaultBackend as Json | undefined)?.service as Json | undefined;
    if (typeof def?.name === 'string') backends.push(def.name);
    for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
      const paths = isObj(rule) && isObj(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
      for (const p of paths) {
        const svc = isObj(p) && isObj(p.backend) && isObj(p.backend.service) ? p.backend.service.name : undefined;
        if (typeof svc === 'string') backends.push(svc);
      }
    }
    const hit = backends.find((b) => selecting.has(b));
    if (hit) reasons.push(`Ingress ${ing.metadata?.name} → Service ${hit}`);
  }
  if (reasons.length) return { exposure: 'internet', reasons };
  const spec = t?.spec;
  if (spec?.hostNetwork === true) return { exposure: 'node', reasons: ['hostNetwork'] };
  if (spec && allContainers(spec, t.specPath).some((c) => Array.isArray(c.container.ports) && c.container.ports.some((p) => isObj(p) && p.hostPort !== undefined))) {
    return { exposure: 'node', reasons: ['hostPort'] };
  }
  return { exposure: 'cluster', reasons: [] };
}

function privilegesOf(obj: KubeObject): string[] {
  const t = podTemplateOf(obj);
  if (!t) return [];
  const out = new Set<string>();
  const spec = t.spec;
  for (const k of ['hostPID', 'hostIPC', 'hostNetwork'] as const) if (spec[k] === true) out.add(k);
  if (Array.isArray(spec.volumes) && spec.volumes.some((v) => isObj(v) && v.hostPath !== undefined)) out.add('hostPath volume');
  const podSc = (spec.securityContext ?? {}) as Json;
  for (const c of allContainers(spec, t.specPath)) {
    const sc = (c.container.securityContext ?? {}) as Json;
    const name = c.container.name ?? `#${c.index}`;
    if (sc.privileged === true) out.add(`privileged (${name})`);
    const caps = isObj(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : [];
    if (caps.length) out.add(`capabilities ${caps.join(',')} (${name})`);
    if (sc.allowPrivilegeEscalation !== false && c.kind === 'containers') out.add('privilege escalation allowed');
    const runAsUser = sc.runAsUser ?? podSc.runAsUser;
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (runAsUser === 0 || (nonRoot !== true && runAsUser === undefined)) out.add('may run as root');
  }
  return [...out];
}

function emptyCounts(): Record<Severity, number> {
  return { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
}

/**
 * Correlates image vulnerabilities with the workloads that run the images. `scanImage` returns the
 * vulnerabilities of an image reference, or undefined when it could not be scanned; it is called once per
 * distinct reference.
 */
export function correlateWorkloads(objects: readonly KubeObject[], scanImage: (image: string) => Vulnerability[] | undefined): WorkloadVulnerabilities[] {
  const cache = new Map<string, Vulnerability[] | undefined>();
  const scan = (image: string): Vulnerability[] | undefined => {
    if (!cache.has(image)) cache.set(image, scanImage(image));
    return cache.get(image);
  };
  const out: WorkloadVulnerabilities[] = [];
  const index = ResourceIndex.ofObjects(objects);
  for (const obj of objects) {
    const t = podTemplateOf(obj);
    // a scanned controller's template stands for its pods; any other pod (controller not in the input, mirror pod) counts
    if (!t || index.templateControllerOf(obj)) continue;
    const images: WorkloadImage[] = [];
    for (const c of allContainers(t.spec, t.specPath)) {
      if (typeof c.container.image !== 'string' || c.container.image === '') continue;
      images.push({ path: c.path, container: c.container.name ?? `#${c.index}`, image: c.container.image, vulnerabilities: scan(c.container.image) });
    }
    const bySeverity = emptyCounts();
    const seen = new Map<string, Vulnerability>();
    for (const img of images) for (const v of img.vulnerabilities ?? []) if (!seen.has(v.id)) seen.set(v.id, v);
    let fixable = 0;
    let weight = 0;
    for (const v of seen.values()) {
      const sev = v.severity.severity === 'unknown' ? UNKNOWN_SEVERITY_AS : v.severity.severity;
      bySeverity[sev]++;
      weight += WEIGHT[sev];
      if (v.fixedVersion) fixable++;
    }
    const { exposure, reasons } = exposureOf(obj, objects);
    const privileges = privilegesOf(obj);
    const score = weight * (1 + EXPOSURE_FACTOR[exposure]) * (1 + Math.min(2, 0.25 * privileges.length));
    out.push({
      resource: refOf(obj),
      images,
      exposure,
      exposureReasons: reasons,
      privileges,
      bySeverity,
      total: seen.size,
      fixable,
      score: Math.round(score * 100) / 100,
      notScanned: images.filter((i) => i.vulnerabilities === undefined).map((i) => i.image),
    });
  }
  return out.sort(
    (a, b) =>
      b.score - a.score ||
      b.bySeverity.critical - a.bySeverity.critical ||
      `${a.resource.namespace ?? ''}/${a.resource.kind}/${a.resource.name}`.localeCompare(`${b.resource.namespace ?? ''}/${b.resource.kind}/${b.resource.name}`),
  );
}
