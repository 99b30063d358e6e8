/**
 * Posture for runtime incidents, from the cluster's objects (a snapshot or a live read) and the posture findings on
 * them: for each incident's workload, its findings, its service account's power (token mounted, dangerous
 * abilities, escalation paths — the RBAC analysis), its exposure (the network analysis), its image's recorded
 * vulnerabilities; and for the detectors, the facts they ask (does the account use the API at all, who uses a
 * secret, where the API server is). Incidents are ranked by that context. Pure: callers hand in objects and findings.
 */
import type { Finding, Resource, Severity } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import type { WorkloadFacts } from '../../core/detector.js';
import type { WorkloadIdentity } from '../../core/events/model.js';
import { allContainers, podTemplateOf } from '../../core/podspec.js';
import { controllerRef, workloadFromPodName } from '../../core/ref.js';
import { isJsonMap } from '../../core/json.js';
import { RbacAnalysis } from '../rbac/analysis.js';
import { blastRadius, findWorkload } from '../rbac/blast-radius.js';
import { pathOneLine } from '../rbac/render/paths-text.js';
import { buildCluster } from '../network/cluster.js';
import { exposure, type ExposureReport } from '../network/exposure.js';
import type { Incident, IncidentWorkload } from './incidents.js';
import { workloadKey } from './baseline.js';

export interface IncidentContext {
  /** The workload as found in the cluster objects (kind/namespace/name), or why it was not. */
  workload?: string;
  notFound?: string;
  findings?: { ruleId: string; severity: Severity; message: string }[];
  findingCount?: number;
  serviceAccount?: { name: string; tokenMounted: boolean; abilities: string[]; escalation: string[] };
  exposure?: { internet: boolean; routes: string[] };
  vulnerabilities?: { image: string } & Partial<Record<Severity, number>>;
}

/** Recorded vulnerability counts of an image (kubeguard image scan --record), by reference or digest. */
export type VulnLookup = (image: string, digest?: string) => Partial<Record<Severity, number>> | undefined;

const TOP_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicationController', 'ReplicaSet', 'Pod'];
const SELF_REVIEWS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

export class RuntimePosture {
  private readonly byKindName = new Map<string, Resource>();
  private readonly byName = new Map<string, Resource[]>();
  private readonly pods = new Map<string, Resource>();
  private readonly findings = new Map<string, Finding[]>();
  private readonly secretUse = new Map<string, Set<string>>();
  private readonly rbac: RbacAnalysis;
  private exposureCache?: ExposureReport;
  private readonly factsCache = new Map<string, WorkloadFacts | undefined>();
  readonly apiServers: string[] = [];
  readonly nodeNetworks: string[] = [];

  constructor(
    private readonly resources: readonly Resource[],
    findings: readonly Finding[] = [],
    private readonly vulns?: VulnLookup,
  ) {
    for (const r of resources) {
      const ns = r.ref.namespace ?? '';
      const kind = r.ref.kind;
      if (kind === 'Pod') this.pods.set(`${ns}/${r.ref.name}`, r);
      if (TOP_KINDS.includes(kind)) {
        this.byKindName.set(`${kind}/${ns}/${r.ref.name}`, r);
        const list = this.byName.get(`${ns}/${r.ref.name}`) ?? [];
        list.push(r);
        this.byName.set(`${ns}/${r.ref.name}`, list);
      }
      this.indexSecretUse(r);
      this.indexApiServer(r);
      if (kind === 'Node') {
        const spec = isJsonMap(r.object.spec) ? r.object.spec : {};
        for (const c of [spec.podCIDR, ...(Array.isArray(spec.podCIDRs) ? spec.podCIDRs : [])]) if (typeof c === 'string' && !this.nodeNetworks.includes(c)) this.nodeNetworks.push(c);
        const status = isJsonMap(r.object.status) ? r.object.status : {};
        for (const a of Array.isArray(status.addresses) ? status.addresses.filter(isJsonMap) : []) if ((a.type === 'InternalIP' || a.type === 'ExternalIP') && typeof a.address === 'string') this.nodeNetworks.push(a.address);
      }
    }
    for (const f of findings) {
      const key = `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`;
      const list = this.findings.get(key) ?? [];
      list.push(f);
      this.findings.set(key, list);
    }
    this.rbac = new RbacAnalysis(resources);
  }

  private indexSecretUse(r: Resource): void {
    const t = podTemplateOf(r.object);
    if (!t) return;
    const ns = r.ref.namespace ?? 'default';
    const sa = typeof t.spec.serviceAccountName === 'string' && t.spec.serviceAccountName ? t.spec.serviceAccountName : 'default';
    const use = (secret: unknown) => {
      if (typeof secret !== 'string' || !secret) return;
      const key = `${ns}/${secret}`;
      const set = this.secretUse.get(key) ?? new Set<string>();
      set.add(`${ns}/${sa}`);
      this.secretUse.set(key, set);
    };
    for (const v of Array.isArray(t.spec.volumes) ? t.spec.volumes.filter(isJsonMap) : []) {
      if (isJsonMap(v.secret)) use(v.secret.secretName);
      if (isJsonMap(v.projected)) for (const s of Array.isArray(v.projected.sources) ? v.projected.sources.filter(isJsonMap) : []) if (isJsonMap(s.secret)) use(s.secret.name);
    }
    for (const p of Array.isArray(t.spec.imagePullSecrets) ? t.spec.imagePullSecrets.filter(isJsonMap) : []) use(p.name);
    for (const c of allContainers(t.spec, t.specPath)) {
      for (const e of Array.isArray(c.container.env) ? c.container.env.filter(isJsonMap) : []) if (isJsonMap(e.valueFrom) && isJsonMap(e.valueFrom.secretKeyRef)) use(e.valueFrom.secretKeyRef.name);
      for (const e of Array.isArray(c.container.envFrom) ? c.container.envFrom.filter(isJsonMap) : []) if (isJsonMap(e.secretRef)) use(e.secretRef.name);
    }
  }

  /** The `kubernetes` Service in `default` and its endpoints: where pods reach the API server. */
  private indexApiServer(r: Resource): void {
    if (r.ref.namespace !== 'default' || r.ref.name !== 'kubernetes') return;
    const o = r.object;
    if (r.ref.kind === 'Service' && isJsonMap(o.spec)) {
      for (const ip of [o.spec.clusterIP, ...(Array.isArray(o.spec.clusterIPs) ? o.spec.clusterIPs : [])]) if (typeof ip === 'string' && ip !== 'None' && !this.apiServers.includes(ip)) this.apiServers.push(ip);
    }
    if (r.ref.kind === 'Endpoints') {
      for (const s of Array.isArray(o.subsets) ? o.subsets.filter(isJsonMap) : []) {
        const ports = (Array.isArray(s.ports) ? s.ports.filter(isJsonMap) : []).map((p) => p.port).filter((p): p is number => typeof p === 'number');
        for (const a of Array.isArray(s.addresses) ? s.addresses.filter(isJsonMap) : []) for (const p of ports) if (typeof a.ip === 'string') this.apiServers.push(`${a.ip}:${p}`);
      }
    }
  }

  /** The top workload object of an identity: its pod's controller chain, else by kind and name, else by name. */
  resourceOf(w: WorkloadIdentity | IncidentWorkload): Resource | undefined {
    const ns = w.namespace ?? '';
    const pod = w.pod ? this.pods.get(`${ns}/${w.pod}`) : undefined;
    if (pod) return this.top(pod);
    const name = 'owner' in w && w.owner ? w.owner.name : 'name' in w && w.name ? w.name : w.pod ? workloadFromPodName(w.pod) : undefined;
    const kind = 'owner' in w && w.owner ? w.owner.kind : 'kind' in w ? w.kind : undefined;
    if (!name) return undefined;
    if (kind) {
      const r = this.byKindName.get(`${kind}/${ns}/${name}`);
      if (r) return this.top(r);
    }
    const candidates = this.byName.get(`${ns}/${name}`) ?? [];
    return [...candidates].sort((a, b) => TOP_KINDS.indexOf(a.ref.kind) - TOP_KINDS.indexOf(b.ref.kind))[0];
  }

  private top(r: Resource): Resource {
    let cur = r;
    for (let i = 0; i < 4; i++) {
      const ctl = controllerRef(cur.object);
      const parent = ctl ? this.byKindName.get(`${ctl.kind}/${cur.ref.namespace ?? ''}/${ctl.name}`) : undefined;
      if (!parent) break;
      cur = parent;
    }
    return cur;
  }

  facts(w: WorkloadIdentity): WorkloadFacts | undefined {
    const key = workloadKey(w) ?? '';
    if (this.factsCache.has(key)) return this.factsCache.get(key);
    const r = this.resourceOf(w);
    let facts: WorkloadFacts | undefined;
    const fact = r ? findWorkload(this.rbac.index, { kind: r.ref.kind, namespace: r.ref.namespace ?? 'default', name: r.ref.name }) : undefined;
    if (fact) {
      const perms = this.rbac.permissions({ kind: 'ServiceAccount', namespace: fact.namespace, name: fact.serviceAccount });
      const rows = [...perms.clusterWide, ...Object.values(perms.namespaces).flat()];
      facts = { tokenMounted: fact.tokenMounted, apiPermissions: perms.superuser || rows.some((row) => !SELF_REVIEWS.has(row.resource)) };
    }
    this.factsCache.set(key, facts);
    return facts;
  }

  secretUsers(namespace: string, name: string): ReadonlySet<string> | undefined {
    // a snapshot that holds no workload of the namespace cannot say who uses the secret
    if (![...this.byName.keys()].some((k) => k.startsWith(`${namespace}/`))) return undefined;
    return this.secretUse.get(`${namespace}/${name}`) ?? new Set();
  }

  private get exposures(): ExposureReport {
    return (this.exposureCache ??= exposure(buildCluster(this.resources.map((r) => r.object))));
  }

  context(i: Incident): IncidentContext {
    const w = i.workload;
    if (w.kind === 'Node') return {};
    const r = this.resourceOf(w);
    if (!r) return { notFound: `${w.namespace ?? '?'}/${w.name ?? '?'} is not in the cluster objects given` };
    const ns = r.ref.namespace ?? 'default';
    const ctx: IncidentContext = { workload: `${r.ref.kind}/${ns}/${r.ref.name}` };
    const findings = (this.findings.get(`${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name}`) ?? []).sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    ctx.findingCount = findings.length;
    ctx.findings = findings.slice(0, 10).map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message }));
    if (findWorkload(this.rbac.index, { kind: r.ref.kind, namespace: ns, name: r.ref.name })) {
      const b = blastRadius(this.rbac.index, this.rbac.shortestPaths, { kind: r.ref.kind, namespace: ns, name: r.ref.name });
      ctx.serviceAccount = { name: `${b.serviceAccount.namespace}/${b.serviceAccount.name}`, tokenMounted: b.tokenMounted, abilities: b.abilities.map((a) => `${a.words} [${a.scope}]`), escalation: b.escalation.map(pathOneLine) };
    }
    const key = `${ns}/${r.ref.name}`;
    const ex = this.exposures;
    ctx.exposure = {
      internet: ex.internet.some((x) => x.pod === key),
      routes: ex.routes.filter((x) => x.pod === key && x.admitted !== 'no').map((x) => `${x.via} → ${x.port}/${x.protocol}`),
    };
    if (this.vulns) {
      const t = podTemplateOf(r.object);
      for (const c of t ? allContainers(t.spec, t.specPath) : []) {
        if (w.container && c.container.name !== w.container) continue;
        const image = c.container.image;
        const counts = typeof image === 'string' ? this.vulns(image) : undefined;
        if (counts) {
          ctx.vulnerabilities = { image: image!, ...counts };
          break;
        }
      }
    }
    return ctx;
  }
}

/**
 * Ranking: severity first, then what the workload could do if compromised (escalation to cluster-admin or node
 * root, all secrets; a mounted token with dangerous abilities), then its exposure, then its vulnerabilities and
 * posture findings; more detections rank higher within the same context.
 */
export function scoreIncident(i: Incident, c: IncidentContext | undefined): number {
  let score = severityRank(i.severity) * 100;
  if (c?.serviceAccount) {
    const esc = c.serviceAccount.escalation.join(' ');
    if (/cluster-admin|root on a node/.test(esc)) score += 40;
    else if (esc) score += 20;
    if (c.serviceAccount.tokenMounted && c.serviceAccount.abilities.length) score += 10;
  }
  if (c?.exposure?.internet) score += 30;
  else if (c?.exposure?.routes.length) score += 15;
  if (c?.vulnerabilities) score += Math.min(20, (c.vulnerabilities.critical ?? 0) * 5 + (c.vulnerabilities.high ?? 0));
  const worst = c?.findings?.[0]?.severity;
  if (worst) score += severityRank(worst) * 2;
  return score + Math.min(9, Math.log2(1 + i.count));
}

