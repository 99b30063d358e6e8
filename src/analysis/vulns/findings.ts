/**
 * Vulnerabilities as core Findings, for `image scan` and workload correlation.
 *
 * ruleId = the vulnerability's primary id (e.g. `CVE-2024-0727`, or `GHSA-…` / `DSA-…` when there is no CVE).
 * Why not one `vuln` rule: the vulnerability is the thing users triage, suppress and look up, and every tool they
 * already use keys it that way (Trivy's and Grype's SARIF use the CVE as ruleId, GitHub code scanning groups
 * alerts by ruleId). With the id as ruleId, an exception `rule: CVE-2024-0727` works through the ordinary
 * exception mechanism, SARIF gets one rule per vulnerability with its own help text, and `--fail-on` still
 * works on severity. Callers that need to tell vulnerability findings apart can use `isVulnerabilityRuleId`.
 *
 * Severity "unknown" (no CVSS vector and no database label) is reported as `medium` and says so in the evidence.
 */
import type { Finding, ResourceRef, Severity } from '../../core/model.js';
import type { SuppressedVulnerability, Vulnerability } from './scan.js';

export interface FindingOptions {
  /** The scanned artifact, e.g. { apiVersion: 'kubeguard.dev/v1', kind: 'ContainerImage', name: 'nginx:1.25' }. */
  resource: ResourceRef;
  /**
   * JSON pointer for a package (default `/packages/<index>`, the index in the scanned package list). For SBOM
   * input pass `(i) => sbom.pointers[i]` so findings point into the SBOM document (and get its line).
   */
  pathOf?: (packageIndex: number) => string;
  /** Where the package list came from (an SBOM file), for the finding location. */
  file?: string;
}

export const UNKNOWN_SEVERITY_AS: Severity = 'medium';

/**
 * True for ids vulnerability findings use (CVE-…, GHSA-…, DSA-…, PYSEC-…, GO-…, ALPINE-CVE-…): an upper-case
 * database prefix, a dash, and a digit somewhere. Rule ids are lower-case kebab-case, so the two never collide.
 */
export function isVulnerabilityRuleId(ruleId: string): boolean {
  return /^[A-Z][A-Z0-9]*-[A-Za-z0-9._:-]+$/.test(ruleId) && /\d/.test(ruleId);
}

export function vulnerabilityFinding(v: Vulnerability, opts: FindingOptions): Finding {
  const pkg = v.package;
  const sev = v.severity.severity === 'unknown' ? UNKNOWN_SEVERITY_AS : v.severity.severity;
  const source = v.query.name !== pkg.name ? ` (source package ${v.query.name} ${v.query.version})` : '';
  const aka = v.aliases.length ? ` (${v.aliases.slice(0, 3).join(', ')}${v.aliases.length > 3 ? ', …' : ''})` : '';
  const fix = v.fixedVersion ? `fixed in ${v.fixedVersion}` : v.lastAffected ? `no fix published; last affected ${v.lastAffected}` : 'no fix published';
  const score = v.severity.score !== undefined ? `CVSS ${v.severity.score}${v.severity.vector ? ` ${v.severity.vector}` : ''}` : v.severity.severity === 'unknown' ? 'severity unknown' : `severity ${v.severity.severity} (${v.severity.source})`;
  const finding: Finding = {
    ruleId: v.id,
    severity: sev,
    message: `${pkg.name} ${pkg.version}${source} is affected by ${v.id}${aka}${v.summary ? `: ${v.summary}` : ''}; ${fix}`,
    resource: opts.resource,
    path: opts.pathOf ? opts.pathOf(v.packageIndex) : `/packages/${v.packageIndex}`,
    remediation: v.fixedVersion
      ? `Upgrade ${v.query.name !== pkg.name ? `${v.query.name} (binary ${pkg.name})` : pkg.name} to ${v.fixedVersion} or later${v.references[0] ? `; see ${v.references[0]}` : ''}`
      : `No fixed version is published for ${v.query.ecosystem}; mitigate, replace the package, or record a VEX statement if it is not exploitable here`,
    evidence: `${v.query.ecosystem} ${v.query.name} ${v.query.version}; advisories ${v.advisories.join(', ')}; ${score}`,
  };
  if (opts.file) finding.location = { file: opts.file };
  return finding;
}

export function vulnerabilityFindings(vulns: readonly Vulnerability[], opts: FindingOptions): Finding[] {
  return vulns.map((v) => vulnerabilityFinding(v, opts));
}

/** A one-line explanation of a VEX suppression, for reports ("suppressed: not_affected — vulnerable_code_not_in_execute_path"). */
export function describeSuppression(s: SuppressedVulnerability): string {
  const why = [s.vex.justification, s.vex.impactStatement].filter(Boolean).join(': ');
  return `${s.vulnerability.id} on ${s.vulnerability.package.name} ${s.vulnerability.package.version}: ${s.vex.status}${why ? ` — ${why}` : ''}`;
}

/** The message of a vulnerability finding on a workload: the image's finding, then where the workload runs it. */
export function workloadVulnerabilityMessage(message: string, on: { image: string; container: string; rank: number; of: number; exposure: string; privileges: readonly string[] }): string {
  return `${message} — image ${on.image} in container ${on.container}; workload rank ${on.rank} of ${on.of} (exposure: ${on.exposure}${on.privileges.length ? `, ${on.privileges.join(', ')}` : ''})`;
}

/** What a vulnerability finding's message says (vulnerabilityFinding and workloadVulnerabilityMessage above, imports). */
export interface VulnerabilityMessageFacts {
  /** The version that fixes it, when one is published. */
  fixedIn?: string;
  /** For a finding on a workload: the image, its container and the workload's exposure. */
  image?: string;
  container?: string;
  exposure?: string;
}

export function readVulnerabilityMessage(message: string): VulnerabilityMessageFacts {
  const out: VulnerabilityMessageFacts = {};
  const fixed = /^.*; fixed in (\S+?)(?= — image |$)/s.exec(message);
  if (fixed) out.fixedIn = fixed[1];
  // imported findings (Trivy Operator) name the image and container without kubeguard's workload ranking
  const on = / — image (\S+) in container ([^\s;]+)(?:; workload rank \d+ of \d+ \(exposure: (internet|node|cluster)\b)?/.exec(message);
  if (on) Object.assign(out, { image: on[1], container: on[2], ...(on[3] && { exposure: on[3] }) });
  return out;
}
