/**
 * scanPackages: match a package list against advisories. Pure — the advisory source is passed in.
 *
 * For each package: build its (ecosystem, name, version) query (package.ts), fetch the advisories indexed under
 * it, drop withdrawn ones, evaluate the affected entries for exactly that ecosystem and name (range.ts), merge
 * the matches that are one vulnerability (aliases.ts), attach severity (severity.ts) and the fixed version to
 * upgrade to, then apply `ignoreUnfixed` and OpenVEX `not_affected` statements (vex.ts).
 */
import { ecosystemKey, normalizeName, schemeFor } from './ecosystems.js';
import { groupAdvisories } from './aliases.js';
import type { OsvRecord } from './osv.js';
import { packageQuery, type Package, type PackageQuery } from './package.js';
import { evaluateAffected } from './range.js';
import { assessSeverity, maxSeverity, type SeverityAssessment } from './severity.js';
import type { AdvisorySource } from './source.js';
import { vexDecision, type VexDecision, type VexDocument } from './vex.js';

export interface Vulnerability {
  /** Primary id: a CVE when known, else GHSA, else the advisory id. */
  id: string;
  /** All other ids of the merged advisories. */
  aliases: string[];
  /** Ids of the OSV records that matched. */
  advisories: string[];
  package: Package;
  /** Position of the package in the input list. */
  packageIndex: number;
  /** What was looked up: ecosystem key, (source) package name and the version compared. */
  query: PackageQuery;
  severity: SeverityAssessment;
  /** The version that fixes every merged advisory (the highest of their fixes), when one is published. */
  fixedVersion?: string;
  /** Set when the advisory only says which version was the last affected one. */
  lastAffected?: string;
  /** How the version matched: inside a range, or listed in `versions`. */
  via: 'range' | 'versions';
  summary?: string;
  references: string[];
  published?: string;
  modified?: string;
}

export interface SuppressedVulnerability {
  vulnerability: Vulnerability;
  vex: VexDecision;
}

export interface PackageNotEvaluated {
  packageIndex: number;
  package: Package;
  reason: string;
}

export interface VulnScanResult {
  vulnerabilities: Vulnerability[];
  /** Suppressed by an OpenVEX `not_affected` statement (with its justification). */
  suppressed: SuppressedVulnerability[];
  /** Packages (or package × advisory pairs) that could not be judged. Never counted as clean. */
  notEvaluated: PackageNotEvaluated[];
  /** How many matches `ignoreUnfixed` left out. */
  unfixedIgnored: number;
  packagesScanned: number;
}

export interface ScanPackagesOptions {
  /** Leave out vulnerabilities that have no fixed version yet. */
  ignoreUnfixed?: boolean;
  /** OpenVEX documents (parsed with parseOpenVex). */
  vex?: readonly VexDocument[];
  /** Identifiers of the scanned artifact (image reference, digest, pkg:oci purl) VEX products may name. */
  vexProducts?: readonly string[];
}

interface Match {
  record: OsvRecord;
  fixed?: string;
  lastAffected?: string;
  via: 'range' | 'versions';
}

function highest(versions: string[], ecosystem: string): string | undefined {
  const scheme = schemeFor(ecosystem);
  let best: string | undefined;
  for (const v of versions) {
    if (best === undefined) best = v;
    else {
      try {
        if (scheme && scheme.compare(v, best) > 0) best = v;
      } catch {
        // keep the first orderable one
      }
    }
  }
  return best;
}

export function scanPackages(db: AdvisorySource, packages: readonly Package[], options: ScanPackagesOptions = {}): VulnScanResult {
  const result: VulnScanResult = { vulnerabilities: [], suppressed: [], notEvaluated: [], unfixedIgnored: 0, packagesScanned: 0 };
  const cache = new Map<string, OsvRecord[]>();
  const seen = new Set<string>();
  const products = new Set(options.vexProducts ?? []);

  packages.forEach((pkg, packageIndex) => {
    const q = packageQuery(pkg);
    if (!q.ok) {
      result.notEvaluated.push({ packageIndex, package: pkg, reason: q.reason });
      return;
    }
    const query = q.query;
    const dedupeKey = `${pkg.purl ?? `${pkg.name}@${pkg.version}`}\u0000${query.ecosystem}\u0000${query.name}\u0000${query.version}`;
    if (seen.has(dedupeKey)) return;
    seen.add(dedupeKey);
    result.packagesScanned++;

    if (db.covers && !db.covers(query.ecosystem)) {
      result.notEvaluated.push({ packageIndex, package: pkg, reason: `the vulnerability database has no advisories for ${query.ecosystem}` });
      return;
    }
    const cacheKey = `${query.ecosystem}\u0000${query.name}`;
    let records = cache.get(cacheKey);
    if (!records) {
      records = db.advisoriesFor(query.ecosystem, query.name);
      cache.set(cacheKey, records);
    }

    const matches: Match[] = [];
    for (const record of records) {
      if (record.withdrawn) continue;
      for (const entry of record.affected ?? []) {
        const eco = entry.package?.ecosystem;
        if (!eco || !entry.package?.name) continue;
        if ((eco !== query.ecosystem && ecosystemKey(eco) !== query.ecosystem) || normalizeName(query.ecosystem, entry.package.name) !== query.name) continue;
        let verdict: ReturnType<typeof evaluateAffected>;
        try {
          verdict = evaluateAffected(entry, query.version, eco);
        } catch (e) {
          // a record stored before import checked its shape: this pair cannot be judged, the rest can
          result.notEvaluated.push({ packageIndex, package: pkg, reason: `${record.id}: could not be evaluated (${e instanceof Error ? e.name : 'error'})` });
          continue;
        }
        if (verdict.affected) {
          matches.push({ record, fixed: verdict.fixed, lastAffected: verdict.lastAffected, via: verdict.via ?? 'range' });
          break;
        }
        if (verdict.problems.length) {
          result.notEvaluated.push({ packageIndex, package: pkg, reason: `${record.id}: ${verdict.problems.join('; ')}` });
        }
      }
    }

    for (const group of groupAdvisories(matches)) {
      const fixes = group.members.map((m) => m.fixed).filter((f): f is string => f !== undefined);
      const fixedVersion = fixes.length ? highest(fixes, query.ecosystem) : undefined;
      const records = group.members.map((m) => m.record);
      const severity = records.map(assessSeverity).reduce(maxSeverity);
      const vuln: Vulnerability = {
        id: group.id,
        aliases: group.aliases,
        advisories: records.map((r) => r.id).sort(),
        package: pkg,
        packageIndex,
        query,
        severity,
        fixedVersion,
        lastAffected: fixedVersion ? undefined : group.members.find((m) => m.lastAffected)?.lastAffected,
        via: group.members.some((m) => m.via === 'range') ? 'range' : 'versions',
        summary: records.map((r) => r.summary ?? firstLine(r.details)).find((s) => s),
        references: [...new Set(records.flatMap((r) => (r.references ?? []).map((x) => x.url)))].slice(0, 10),
        published: records.map((r) => r.published).find((p) => p),
        modified: records.map((r) => r.modified).filter((m): m is string => !!m).sort().at(-1),
      };
      if (options.ignoreUnfixed && !fixedVersion) {
        result.unfixedIgnored++;
        continue;
      }
      const decision = options.vex?.length ? vexDecision(options.vex, [vuln.id, ...vuln.aliases], pkg, products) : undefined;
      if (decision?.status === 'not_affected') {
        result.suppressed.push({ vulnerability: vuln, vex: decision });
        continue;
      }
      result.vulnerabilities.push(vuln);
    }
  });
  return result;
}

function firstLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const line = text.trim().split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
