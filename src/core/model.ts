/** The one data model shared by every surface: CI scans, the admission webhook and live clusters. */

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

/** A Kubernetes object as plain JSON. Rules read it and never mutate it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface SourceLocation {
  file: string;
  line?: number;
}

/** Maps a JSON pointer inside an object to the 1-based line it came from, when known. */
export type LineLocator = (pointer: string) => number | undefined;

/** Non-Kubernetes inputs (Dockerfiles) are modelled as resources with a synthetic kind. */
export interface Resource {
  ref: ResourceRef;
  object: KubeObject;
  /** Where the object came from (file, or "cluster", "admission", "stdin"). */
  source?: { file: string; line?: number; locate?: LineLocator };
  /**
   * The object as it was before the change being judged: an admission UPDATE's `request.oldObject`. Absent for
   * files and live objects. Rules may compare against it (e.g. to judge only what the change introduces).
   */
  previous?: KubeObject;
  /**
   * Set when the manifest names no namespace and the input itself said where the object belongs (a binding
   * subject, a webhook's service reference): why it was placed in its namespace (src/core/namespaces.ts).
   */
  namespaceNote?: string;
  /**
   * The object came from a cluster (an admission request, a live list, a snapshot), not from a reviewed file: its own
   * `kubeguard.io/ignore` annotation is then governed by the live policy (config `annotationExceptions.live`).
   */
  live?: boolean;
  /** For an admission request: how and by whom the object is being admitted (admission policies read it). */
  admission?: AdmissionInfo;
}

export interface AdmissionInfo {
  operation: string;
  subResource?: string;
  resource?: { group: string; version: string; resource: string };
  userInfo?: { username?: string; uid?: string; groups?: string[] };
  dryRun?: boolean;
}

export interface ComplianceRefs {
  pss?: ('baseline' | 'restricted')[];
  /** Upstream Pod Security Standards check ids (policy/check_*.go), e.g. hostPathVolumes. */
  pssChecks?: string[];
  cis?: string[];
  nsa?: string[];
  mitre?: string[];
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  resource: ResourceRef;
  /** JSON pointer into the object (RFC 6901). */
  path: string;
  location?: SourceLocation;
  remediation?: string;
  compliance?: ComplianceRefs;
  /** A short, secret-free excerpt supporting the finding. */
  evidence?: string;
  fix?: JsonPatchOp[];
  /** The manifest names no namespace: where the object was placed and why (from the input's own references). */
  namespaceNote?: string;
  /**
   * Names the problem(s) the finding describes, when several objects show it (e.g. `cluster-admin:sa:argocd/x`
   * from the binding, the service account and the workload): findings sharing one are merged into one
   * (src/engine/merge-findings.ts).
   */
  problems?: string[];
  /** When findings merge, a lead finding's message heads the merged one. */
  lead?: boolean;
  /** Findings merged into this one: other rules judging the same field, or other objects of the same problem. */
  related?: RelatedFinding[];
}

/** A finding merged into another (same field, or same problem), kept so nothing reported is lost. */
export type RelatedFinding = Pick<Finding, 'ruleId' | 'severity' | 'message' | 'resource' | 'path' | 'location'>;

/** A rule that could not judge an object because data was missing. Never a pass. */
export interface NotEvaluated {
  ruleId?: string;
  resource?: ResourceRef;
  scope?: string;
  reason: string;
  /** Outside the scanner's view by design (e.g. a managed control plane): reported, not an incomplete scan. */
  notVisible?: boolean;
}

export interface ScanError {
  kind: 'parse' | 'read' | 'rule' | 'source' | 'render' | 'limit';
  message: string;
  file?: string;
  line?: number;
  ruleId?: string;
  resource?: ResourceRef;
}

/** A skipped file or document that is not a Kubernetes object: a note, not an error. */
export interface SkipNote {
  file: string;
  line?: number;
  reason: string;
}

export interface AppliedException {
  ruleId: string;
  resource: ResourceRef;
  /** The suppressed finding's field and severity, when it was a rule finding (the server keeps it as excepted). */
  path?: string;
  severity?: Severity;
  reason: string;
  source: 'annotation' | 'config' | 'vex';
  owner?: string;
  ticket?: string;
  expires?: string;
}

/** An object's own `kubeguard.io/ignore` annotation that named a rule but was not honoured: the finding stands. */
export interface RefusedException {
  ruleId: string;
  resource: ResourceRef;
  /** The annotation's reason. */
  reason: string;
  /** Why it was not honoured (the config that refused it). */
  refused: string;
}

export interface ExpiredException {
  rule: string;
  reason: string;
  expires: string;
  owner?: string;
  ticket?: string;
  /** Findings that the exception would have suppressed and that now count again. */
  findings: number;
}

export interface ScanSummary {
  resources: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  errors: number;
  notEvaluated: number;
  suppressed: number;
  skipped: number;
}

export interface ScanReport {
  schemaVersion: string;
  tool: { name: string; version: string };
  findings: Finding[];
  errors: ScanError[];
  notEvaluated: NotEvaluated[];
  skipped: SkipNote[];
  suppressed: AppliedException[];
  expiredExceptions: ExpiredException[];
  /** Annotation exceptions the policy did not honour (absent from reports built outside the rule engine). */
  refusedExceptions?: RefusedException[];
  summary: ScanSummary;
  /** Present when display filters (--severity, --rule, --skip-rule) left findings out; the summary counts what is shown. */
  shown?: { hidden: number; filters: string[] };
  /** Scanned images (image scan, scan --images): where each one's package list came from. */
  images?: ImageSource[];
}

/** Who signed a verified attestation: a keyless identity and issuer, and the key's fingerprint (sha256 of SPKI). */
export interface AttestationSigner {
  identity?: string;
  issuer?: string;
  keyId: string;
}

/** Where the package list of a scanned image came from, and the scans attested for it. */
export interface ImageSource {
  image: string;
  /** The digest the attestations name. */
  digest?: string;
  /** layers: analysed; attestation: a verified CycloneDX/SPDX attestation; sbom: an SBOM file given as input. */
  packages: 'layers' | 'attestation' | 'sbom';
  attestation?: { predicateType: string; origin: string; signer: AttestationSigner };
  /** Why the layers were analysed although a signer was given (no SBOM attestation verified, …). */
  note?: string;
  /** Verified vulnerability-scan attestations (cosign vuln/v1). */
  scans?: AttestedScan[];
}

/** A verified vulnerability-scan attestation (https://cosign.sigstore.dev/attestation/vuln/v1), summarised. */
export interface AttestedScan {
  origin: string;
  signer: AttestationSigner;
  /** The scanner's purl-like URI (e.g. pkg:github/aquasecurity/trivy) and version, and its database. */
  scanner: { uri: string; version?: string; db?: { uri?: string; version?: string } };
  /** When the scan finished (metadata.scanFinishedOn), ISO 8601. */
  finishedOn?: string;
  /** Older than the allowed age (or undated): its results may miss vulnerabilities published since. */
  stale: boolean;
  /** Vulnerabilities in the result by severity, when the result's format is known (Trivy or Grype JSON). */
  counts?: Record<Severity, number>;
  /** Vulnerabilities of unknown severity, and why counts are absent when they are. */
  unknown?: number;
  note?: string;
}

export const REPORT_SCHEMA_VERSION = '1.0';
