/**
 * Vulnerabilities as the dashboard shows them (issue 20): by advisory (CVE/GHSA/…) → affected images → workloads
 * and clusters. Read from the findings the scanners upload: `image scan --upload` (findings on the image) and
 * `scan --images --upload` (findings on each workload running the image, with its exposure). Images are ranked
 * by fix availability and exposure: a published fix on an internet-exposed workload comes first.
 */
import { SEVERITIES } from '../../core/model.js';
import { UsageError } from '../../core/errors.js';
import { isVulnerabilityRuleId, readVulnerabilityMessage } from '../../analysis/vulns/findings.js';
import type { Store } from '../../sources/store/open.js';
import { advisoryFindings, advisoryGroups } from '../../sources/store/vulnerabilities.js';
import { NotFoundError } from '../errors.js';
import type { FindingQuery } from './findings.js';
import { filterOf } from './findings.js';

/** Severity names by rank (info 0 … critical 4), as the store's severity_rank column holds them. */
const BY_RANK = SEVERITIES;
const MAX_ADVISORIES = 5000;
const MAX_FINDINGS = 20_000;
const EXPOSURE_ORDER = ['internet', 'node', 'cluster'];

export interface VulnerabilityQuery extends FindingQuery {
  /** "true": only advisories with a published fix; "false": only those without. */
  fixable?: string;
}

export interface AdvisoryView {
  id: string;
  severity: string;
  findings: number;
  clusters: number;
  workloads: number;
  images: number;
  /** A fixed version is published (for at least one affected package). */
  fixable: boolean;
}

function queryWithOpenDefault(q: VulnerabilityQuery): FindingQuery {
  return { ...q, status: q.status ?? 'open' };
}

export async function listAdvisories(store: Store, q: VulnerabilityQuery): Promise<{ items: AdvisoryView[]; truncated: boolean }> {
  if (q.fixable !== undefined && q.fixable !== 'true' && q.fixable !== 'false') throw new UsageError('fixable must be true or false');
  const groups = await advisoryGroups(store, filterOf(queryWithOpenDefault(q)), MAX_ADVISORIES + 1);
  const items = groups
    .filter((g) => isVulnerabilityRuleId(g.id))
    .map((g) => ({ id: g.id, severity: BY_RANK[g.severityRank] ?? 'info', findings: g.findings, clusters: g.clusters, workloads: g.workloads, images: g.images, fixable: g.fixable > 0 }))
    .filter((a) => q.fixable === undefined || a.fixable === (q.fixable === 'true'));
  return { items: items.slice(0, MAX_ADVISORIES), truncated: groups.length > MAX_ADVISORIES };
}

export interface AffectedWorkload {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  container?: string;
  exposure?: string;
  status: string;
  fingerprint: string;
}

export interface AffectedImage {
  image: string;
  fixedIn?: string;
  /** Worst exposure of a workload running it (internet, node, cluster), when a workload scan saw it. */
  exposure?: string;
  clusters: string[];
  workloads: AffectedWorkload[];
  /** The image's own findings (`image scan --upload`). */
  scans: { cluster: string; fingerprint: string; status: string }[];
}

export interface AdvisoryDetail {
  id: string;
  severity: string;
  /** One affected finding's message (package, version, summary, fix). */
  message: string;
  fixable: boolean;
  images: AffectedImage[];
  truncated: boolean;
}

export async function advisoryDetail(store: Store, id: string, q: VulnerabilityQuery): Promise<AdvisoryDetail> {
  if (!isVulnerabilityRuleId(id)) throw new NotFoundError(`${id.slice(0, 80)} is not a vulnerability id`);
  const rows = await advisoryFindings(store, id, filterOf(queryWithOpenDefault(q)), MAX_FINDINGS + 1);
  if (rows.length === 0) throw new NotFoundError(`no findings of ${id} under these filters`);
  const images = new Map<string, AffectedImage>();
  const imageOf = (name: string) => images.get(name) ?? images.set(name, { image: name, clusters: [], workloads: [], scans: [] }).get(name)!;
  for (const r of rows.slice(0, MAX_FINDINGS)) {
    const facts = readVulnerabilityMessage(r.message);
    const name = r.kind === 'ContainerImage' ? r.name : (facts.image ?? '(image not named)');
    const img = imageOf(name);
    if (facts.fixedIn && !img.fixedIn) img.fixedIn = facts.fixedIn;
    if (!img.clusters.includes(r.cluster)) img.clusters.push(r.cluster);
    if (r.kind === 'ContainerImage') img.scans.push({ cluster: r.cluster, fingerprint: r.fingerprint, status: r.status });
    else {
      img.workloads.push({ cluster: r.cluster, namespace: r.namespace, kind: r.kind, name: r.name, ...(facts.container && { container: facts.container }), ...(facts.exposure && { exposure: facts.exposure }), status: r.status, fingerprint: r.fingerprint });
      if (facts.exposure && (!img.exposure || EXPOSURE_ORDER.indexOf(facts.exposure) < EXPOSURE_ORDER.indexOf(img.exposure))) img.exposure = facts.exposure;
    }
  }
  const exposureRank = (e?: string) => (e ? EXPOSURE_ORDER.indexOf(e) : EXPOSURE_ORDER.length);
  const ranked = [...images.values()].sort((a, b) => Number(!a.fixedIn) - Number(!b.fixedIn) || exposureRank(a.exposure) - exposureRank(b.exposure) || b.workloads.length - a.workloads.length || (a.image < b.image ? -1 : 1));
  for (const img of ranked) {
    img.clusters.sort();
    img.workloads.sort((a, b) => exposureRank(a.exposure) - exposureRank(b.exposure) || `${a.cluster}/${a.namespace}/${a.name}`.localeCompare(`${b.cluster}/${b.namespace}/${b.name}`));
  }
  return { id, severity: rows[0].severity, message: rows[0].message, fixable: ranked.some((i) => i.fixedIn), images: ranked, truncated: rows.length > MAX_FINDINGS };
}
