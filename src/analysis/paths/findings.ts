/**
 * Scan findings from attack paths: one per path from the internet to a critical target (cluster-admin, every
 * Secret, root on a node), on the workload the path enters by. Paths that start at an RBAC subject are the RBAC
 * rules' findings already (one problem, one finding), so only paths from the internet are reported here; they
 * exist only when image vulnerabilities are known (`scan --images`).
 */
import type { Finding, KubeObject, Severity } from '../../core/model.js';
import type { WorkloadVulnerabilities } from '../vulns/workloads.js';
import { AttackGraph, type ImageVulnerability } from './build.js';
import { findPaths } from './analyze.js';
import { ENTRY_INTERNET, TARGETS, type TargetId } from './model.js';

export const ATTACK_PATH_RULE_ID = 'attack-path';

const SEVERITY: Record<TargetId, Severity> = { 'cluster-admin': 'critical', secrets: 'critical', nodes: 'high' };
const WORDS: Record<TargetId, string> = { 'cluster-admin': 'cluster-admin', secrets: 'every Secret', nodes: 'root on a node' };

/** The vulnerabilities `scan --images` found, by image reference. */
export function imageVulnerabilitiesOf(ranked: readonly WorkloadVulnerabilities[]): Map<string, ImageVulnerability[]> {
  const out = new Map<string, ImageVulnerability[]>();
  for (const w of ranked) {
    for (const img of w.images) {
      if (!img.vulnerabilities || out.has(img.image)) continue;
      out.set(img.image, img.vulnerabilities.map((v) => ({ id: v.id, severity: v.severity.severity, package: v.package.name, version: v.package.version, ...(v.fixedVersion ? { fixedVersion: v.fixedVersion } : {}) })));
    }
  }
  return out;
}

export function attackPathFindings(objects: readonly KubeObject[], vulnerabilities: ReadonlyMap<string, readonly ImageVulnerability[]>): Finding[] {
  const g = new AttackGraph({ objects, vulnerabilities });
  const answer = findPaths(g, { from: [ENTRY_INTERNET], to: [...TARGETS] });
  const out: Finding[] = [];
  answer.paths.forEach((p, i) => {
    const entry = answer.edgePaths[i].find((e) => g.workloads.has(e.to));
    const w = entry && g.workloads.get(entry.to);
    if (!w) return;
    const target = p.to as TargetId;
    const breaking = answer.cut.filter((c) => answer.edgePaths[i].some((e) => e.changes.some((x) => x.change === c.change)));
    out.push({
      ruleId: ATTACK_PATH_RULE_ID,
      severity: SEVERITY[target],
      message: `the internet reaches ${WORDS[target]} through ${w.id} in ${p.hops.length} steps (score ${p.score}): ${[p.from, ...p.hops.map((h) => `${h.edge} → ${h.to}`)].join(' ')}`,
      resource: { apiVersion: typeof w.object.apiVersion === 'string' ? w.object.apiVersion : 'v1', kind: w.kind, namespace: w.namespace, name: w.name },
      path: '',
      evidence: p.hops.map((h) => `${h.technique.id} ${h.evidence}`).join(' | '),
      remediation: breaking.length ? `Break it: ${breaking.map((c) => c.change).join('; or ')} (kubeguard paths gives each change as a JSON patch)` : 'Run kubeguard paths --explain for every hop and the changes that break it',
      problems: [`attack-path:${p.from}>${p.to}:${w.id}`],
    });
  });
  return out;
}
