/**
 * Vulnerabilities of a package list as report parts: findings (core Finding type), VEX suppressions with their
 * justification, and packages that could not be judged (never counted as clean). Pure: the advisory source is
 * handed in (the SQLite store in src/sources/vulndb implements it).
 */
import type { AppliedException, Finding, NotEvaluated, ResourceRef } from '../../core/model.js';
import type { Package } from './package.js';
import type { AdvisorySource } from './source.js';
import type { VexDocument } from './vex.js';
import { scanPackages } from './scan.js';
import { describeSuppression, vulnerabilityFindings } from './findings.js';

export interface VulnerabilityReportOptions {
  resource: ResourceRef;
  /** Pointer of a package in the input (SBOM pointers), default `/packages/<i>`. */
  pathOf?: (packageIndex: number) => string;
  file?: string;
  ignoreUnfixed?: boolean;
  vex?: readonly VexDocument[];
  vexProducts?: readonly string[];
}

export interface VulnerabilityReport {
  findings: Finding[];
  suppressed: AppliedException[];
  notEvaluated: NotEvaluated[];
  /** Aliases per finding id, so exceptions may name any of them (CVE, GHSA, DSA…). */
  aliases: Map<string, string[]>;
  unfixedIgnored: number;
}

export function vulnerabilityReport(source: AdvisorySource, packages: readonly Package[], options: VulnerabilityReportOptions): VulnerabilityReport {
  const result = scanPackages(source, packages, { ignoreUnfixed: options.ignoreUnfixed, vex: options.vex, vexProducts: options.vexProducts });
  const findings = vulnerabilityFindings(result.vulnerabilities, { resource: options.resource, pathOf: options.pathOf, file: options.file });
  const aliases = new Map(result.vulnerabilities.map((v) => [v.id, v.aliases]));
  return {
    findings,
    aliases,
    suppressed: result.suppressed.map((s) => ({ ruleId: s.vulnerability.id, resource: options.resource, reason: describeSuppression(s), source: 'vex' as const })),
    notEvaluated: result.notEvaluated.map((n) => ({
      ruleId: 'vulnerabilities',
      resource: options.resource,
      scope: `${n.package.name}@${n.package.version}`,
      reason: n.reason,
    })),
    unfixedIgnored: result.unfixedIgnored,
  };
}
