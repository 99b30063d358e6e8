/**
 * Judging a drift for security: RBAC widened (the authorizer's own matching, analysis/rbac), NetworkPolicy
 * loosened (connections newly allowed, analysis/network's semantic diff), image drift (tag moved, digest not in the
 * manifest, digest not scanned).
 */
import type { KubeObject, Severity } from '../../core/model.js';
import { isJsonMap } from '../../core/json.js';
import { parseImageRef, normalizedName } from '../../core/image-ref.js';
import { parseRules } from '../rbac/parse.js';
import { rulesAllow } from '../rbac/matching.js';
import type { PolicyRule, ResourceRequest } from '../rbac/types.js';
import { buildCluster } from '../network/cluster.js';
import { diff as netDiff } from '../network/diff.js';

export const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** Requests the live rules allow and the manifest's do not (wildcards count as themselves: `*` grants more than any list). */
function widenedRules(manifest: readonly PolicyRule[], live: readonly PolicyRule[]): string[] {
  const out: string[] = [];
  for (const r of live) {
    for (const verb of r.verbs) {
      for (const url of r.nonResourceURLs) if (!rulesAllow(manifest, { verb, nonResourceURL: url })) out.push(`${verb} ${url}`);
      for (const group of r.apiGroups) {
        for (const res of r.resources) {
          const [resource, subresource] = res.split('/', 2);
          for (const name of r.resourceNames.length ? r.resourceNames : ['']) {
            const req: ResourceRequest = { verb, apiGroup: group, resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}) };
            if (!rulesAllow(manifest, req)) out.push(`${verb} ${group ? group + '/' : ''}${res}${name ? '/' + name : ''}`);
          }
        }
      }
    }
  }
  return [...new Set(out)];
}

function subjectsOf(o: KubeObject): string[] {
  const s = (o as { subjects?: unknown }).subjects;
  return Array.isArray(s) ? s.filter(isJsonMap).map((x) => `${String(x.kind)}:${x.namespace ? String(x.namespace) + '/' : ''}${String(x.name)}`) : [];
}

/** What the live RBAC object grants beyond the manifest; empty when it is not wider. */
export function rbacWidening(manifest: KubeObject, live: KubeObject): string[] {
  if (manifest.kind === 'Role' || manifest.kind === 'ClusterRole') return widenedRules(parseRules(manifest.rules), parseRules(live.rules)).map((g) => `grants ${g}`);
  const out: string[] = [];
  const before = new Set(subjectsOf(manifest));
  for (const s of subjectsOf(live)) if (!before.has(s)) out.push(`binds ${s}`);
  const ref = (o: KubeObject) => JSON.stringify((o as { roleRef?: unknown }).roleRef ?? null);
  if (ref(manifest) !== ref(live)) out.push(`binds another role`);
  return out;
}

/** Connections the live NetworkPolicy allows that the manifest's would deny, over the live cluster's pods. */
export function networkLoosening(manifest: KubeObject, live: KubeObject, cluster: readonly KubeObject[]): string[] {
  const same = (o: KubeObject) => o.kind === 'NetworkPolicy' && o.metadata?.name === live.metadata?.name && o.metadata?.namespace === live.metadata?.namespace;
  const others = cluster.filter((o) => !same(o));
  const report = netDiff(buildCluster([...others, manifest]), buildCluster([...others, live]));
  return report.newlyAllowed.map((c) => `${c.src} → ${c.dst}: ${c.added ?? c.after}`);
}

export interface ImageJudgement {
  why: string;
  severity: Severity;
}

/** An image field that differs: how, and how bad. */
export function judgeImage(manifestImage: unknown, liveImage: unknown, scanned?: (digest: string) => boolean | undefined): ImageJudgement {
  if (typeof liveImage !== 'string') return { why: 'image removed', severity: 'low' };
  const live = parseImageRef(liveImage);
  const unscanned = live.digest !== undefined && scanned?.(live.digest) === false;
  const scanNote = live.digest === undefined ? '' : unscanned ? '; digest not scanned' : scanned?.(live.digest) ? '; digest scanned' : '';
  if (typeof manifestImage !== 'string') return { why: `image added${scanNote}`, severity: unscanned ? 'high' : 'medium' };
  const m = parseImageRef(manifestImage);
  if (normalizedName(m) !== normalizedName(live)) return { why: `image replaced: ${normalizedName(live)} is not the manifest's ${normalizedName(m)}${scanNote}`, severity: 'high' };
  if (live.digest && live.digest !== m.digest) return { why: `digest not in the manifest${scanNote}`, severity: unscanned ? 'high' : 'medium' };
  if ((live.tag ?? 'latest') !== (m.tag ?? 'latest')) return { why: `tag moved from ${m.tag ?? 'latest'} to ${live.tag ?? 'latest'}${scanNote}`, severity: unscanned ? 'high' : 'medium' };
  return { why: `image reference changed${scanNote}`, severity: unscanned ? 'high' : 'low' };
}
