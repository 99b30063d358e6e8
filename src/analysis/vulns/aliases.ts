/**
 * Merging advisories that describe the same vulnerability. Records are joined when they share an id through
 * `id`/`aliases` (osv-scanner's grouping), or through `upstream` when it names one vulnerability
 * (ALPINE-CVE-2025-26519 → CVE-2025-26519; DLA-3008-1 → CVE-2022-1292 and its DEBIAN-CVE twin; a
 * DEBIAN-CVE-/ALPINE-CVE- id stands for its CVE). A record whose `upstream` names several vulnerabilities (a DSA
 * fixing eight CVEs) stays its own group unless every one of those ids is already reported for the package, in
 * which case it is folded into those groups as a related id instead of being reported twice.
 */
import type { OsvRecord } from './osv.js';

export interface AdvisoryGroup<T extends { record: OsvRecord }> {
  /** The id shown to users: a CVE when the group has one, else a GHSA, else the smallest record id. */
  id: string;
  /** Every other id of the group (aliases, upstream ids, other record ids, folded umbrella advisories). */
  aliases: string[];
  members: T[];
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** Distro re-publications of a CVE (DEBIAN-CVE-…, ALPINE-CVE-…, UBUNTU-CVE-…) stand for the CVE itself. */
export function canonicalVulnId(id: string): string {
  const m = /^[A-Z]+-(CVE-\d{4}-\d+)$/.exec(id);
  return m ? m[1] : id;
}

/** The distinct vulnerabilities a record's `upstream` names. */
function upstreamVulns(r: OsvRecord): Set<string> {
  return new Set((r.upstream ?? []).map(canonicalVulnId));
}

function linkIds(r: OsvRecord): string[] {
  const ids = [r.id, ...(r.aliases ?? [])];
  if (upstreamVulns(r).size === 1) ids.push(...(r.upstream ?? []));
  if (canonicalVulnId(r.id) !== r.id) ids.push(canonicalVulnId(r.id));
  return ids;
}

export function primaryId(ids: Iterable<string>): string {
  const all = [...ids].sort();
  return all.find((i) => i.startsWith('CVE-')) ?? all.find((i) => i.startsWith('GHSA-')) ?? all[0];
}

export function groupAdvisories<T extends { record: OsvRecord }>(matches: T[]): AdvisoryGroup<T>[] {
  const uf = new UnionFind();
  for (const m of matches) {
    const ids = linkIds(m.record);
    for (const id of ids.slice(1)) uf.union(ids[0], id);
  }
  const groups = new Map<string, { ids: Set<string>; members: T[] }>();
  for (const m of matches) {
    const root = uf.find(m.record.id);
    const g = groups.get(root) ?? { ids: new Set<string>(), members: [] };
    for (const id of linkIds(m.record)) g.ids.add(id);
    if (!g.members.some((x) => x.record.id === m.record.id)) g.members.push(m);
    groups.set(root, g);
  }
  // Fold umbrella advisories (several upstream ids, all already reported) into the groups they cover.
  const list = [...groups.values()];
  const result: { ids: Set<string>; members: T[]; primary?: string }[] = [];
  for (const g of list) {
    const umbrella = g.members.every((m) => upstreamVulns(m.record).size > 1 && !m.record.aliases?.length);
    if (umbrella) {
      const upstream = new Set(g.members.flatMap((m) => [...upstreamVulns(m.record)]));
      const covering = [...upstream].map((u) => list.find((o) => o !== g && o.ids.has(u)));
      if (covering.every((c) => c !== undefined)) {
        for (const c of covering) for (const m of g.members) c?.ids.add(m.record.id);
        continue;
      }
      // Reported under its own id; the upstream ids it covers are listed with it.
      const primary = primaryId(g.ids);
      for (const u of upstream) g.ids.add(u);
      result.push({ ...g, primary });
      continue;
    }
    result.push(g);
  }
  return result.map((g) => {
    const id = g.primary ?? primaryId(g.ids);
    return { id, aliases: [...g.ids].filter((x) => x !== id).sort(), members: g.members };
  });
}
