/**
 * Public API of the vulnerability matcher (pure; the SQLite store is src/sources/vulndb/store.ts → VulnDb).
 * See README.md in this folder.
 */
export type { Package, PackageQuery } from './package.js';
export { packageQuery, parsePurl } from './package.js';
export type { AdvisorySource } from './source.js';
export { MemoryAdvisorySource } from './source.js';
export type { OsvRecord } from './osv.js';
export type { ScanPackagesOptions, Vulnerability, VulnScanResult, SuppressedVulnerability, PackageNotEvaluated } from './scan.js';
export { scanPackages } from './scan.js';
export type { FindingOptions } from './findings.js';
export { vulnerabilityFindings, vulnerabilityFinding, describeSuppression, isVulnerabilityRuleId, UNKNOWN_SEVERITY_AS } from './findings.js';
export type { SbomPackages } from './sbom.js';
export { readSbom, detectSbomFormat, SbomParseError } from './sbom.js';
export type { VexDocument, VexStatement, VexDecision } from './vex.js';
export { parseOpenVex, VexParseError } from './vex.js';
export type { SeverityAssessment } from './severity.js';
export { schemeFor } from './ecosystems.js';
export type { WorkloadVulnerabilities, WorkloadImage, Exposure } from './workloads.js';
export { correlateWorkloads } from './workloads.js';
