/**
 * Policy on verified attestations. SLSA provenance facts (slsa.dev/spec/v1.0/provenance; v0.2 for older
 * builders): who built (builder id), how (build type), from what source (repository and ref). Source comes from
 * the GitHub Actions build type's `externalParameters.workflow` (github.com/slsa-framework/github-actions-buildtypes
 * workflow/v1) or, generically, the first resolved dependency / v0.2 `invocation.configSource` URI in SPDX
 * download-location form `git+https://host/org/repo@refs/heads/main`.
 *
 * A requirement names a predicate type and, for SLSA provenance, conditions; values are exact or shell globs.
 */
import { globMatch } from '../../../core/glob.js';
import type { Statement } from './statement.js';
import type { AttestedScan, Severity } from '../../../core/model.js';
import { SEVERITIES, severityRank } from '../../../core/model.js';
import { isSbomType, isVulnPredicate, scanSummary } from './attested-content.js';

/** What policy reads of a verified statement. */
export type Attested = Pick<Statement, 'predicateType' | 'predicate'>;

export const SLSA_V1 = 'https://slsa.dev/provenance/v1';
export const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PREDICATES: readonly string[] = [SLSA_V1, SLSA_V02];

export interface ProvenanceFacts {
  builderId?: string;
  buildType?: string;
  sourceRepository?: string;
  sourceRef?: string;
}

export interface AttestationRequirement extends ProvenanceFacts {
  predicateType: string;
  /** Vulnerability-scan attestations: the scan finished at most this many hours ago (else it is stale). */
  maxAgeHours?: number;
  /** Vulnerability-scan attestations: no vulnerability at or above this severity in the scanner's result. */
  failOn?: Severity;
  /** Vulnerability-scan attestations: the scanner's URI (exact or glob), e.g. `pkg:github/aquasecurity/trivy@*`. */
  scanner?: string;
}

export const PROVENANCE_CONDITIONS = ['builderId', 'buildType', 'sourceRepository', 'sourceRef'] as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** `git+https://github.com/o/r@refs/heads/main` → repository https://github.com/o/r, ref refs/heads/main. */
export function parseSourceUri(uri: string | undefined): { repository?: string; ref?: string } {
  if (!uri) return {};
  const plain = uri.replace(/^git\+/, '');
  const at = plain.lastIndexOf('@');
  const slash = plain.indexOf('/', plain.indexOf('//') + 2);
  if (at > slash && slash > 0) return { repository: plain.slice(0, at).replace(/\.git$/, ''), ref: plain.slice(at + 1) };
  return { repository: plain.replace(/\.git$/, '') };
}

export function provenanceFacts(st: Attested): ProvenanceFacts {
  const p = st.predicate;
  if (st.predicateType === SLSA_V02) {
    const src = parseSourceUri(str(obj(obj(p.invocation).configSource).uri));
    return { builderId: str(obj(p.builder).id), buildType: str(p.buildType), sourceRepository: src.repository, sourceRef: src.ref };
  }
  const def = obj(p.buildDefinition);
  const workflow = obj(obj(def.externalParameters).workflow);
  const deps = Array.isArray(def.resolvedDependencies) ? def.resolvedDependencies : [];
  const dep = parseSourceUri(str(obj(deps[0]).uri));
  const repository = str(workflow.repository) ?? dep.repository;
  return { builderId: str(obj(obj(p.runDetails).builder).id), buildType: str(def.buildType), sourceRepository: repository?.replace(/\.git$/, ''), sourceRef: str(workflow.ref) ?? dep.ref };
}

/** Why this statement does not meet the requirement, or undefined when it does. */
export function requirementProblem(st: Attested, req: AttestationRequirement, now = new Date()): string | undefined {
  if (st.predicateType !== req.predicateType) return `predicate type ${st.predicateType}`;
  if (isVulnPredicate(req.predicateType)) return scanProblem(scanSummary({ ...st, signer: { keyId: '' }, origin: '' }, now, (req.maxAgeHours ?? Infinity) * 3600_000), req);
  if (!SLSA_PREDICATES.includes(req.predicateType)) return undefined;
  const facts = provenanceFacts(st);
  for (const k of PROVENANCE_CONDITIONS) {
    const want = req[k];
    if (want === undefined) continue;
    const got = facts[k];
    if (got === undefined || !globMatch(want, got)) return `${k} is ${got === undefined ? 'missing' : JSON.stringify(got)}, not ${JSON.stringify(want)}`;
  }
  return undefined;
}

/** Why an attested scan does not meet a vulnerability-scan requirement (Kyverno's sample: fresh, no high/critical). */
function scanProblem(s: AttestedScan, req: AttestationRequirement): string | undefined {
  if (req.scanner !== undefined && !globMatch(req.scanner, s.scanner.uri)) return `scanner is ${JSON.stringify(s.scanner.uri)}, not ${JSON.stringify(req.scanner)}`;
  if (req.maxAgeHours !== undefined && s.stale) return s.finishedOn ? `the scan finished on ${s.finishedOn}, more than ${req.maxAgeHours} h ago` : 'the scan has no scanFinishedOn date';
  if (req.failOn !== undefined) {
    if (!s.counts) return `the scan's result format is not known, so its severities cannot be checked`;
    const over = SEVERITIES.filter((k) => severityRank(k) >= severityRank(req.failOn!) && s.counts![k] > 0);
    if (over.length > 0) return `the scan found ${over.map((k) => `${s.counts![k]} ${k}`).join(', ')}`;
  }
  return undefined;
}

const VULN_CONDITIONS = ['scanner', 'maxAgeHours', 'failOn'] as const;

/** Describes a requirement for messages: `https://slsa.dev/provenance/v1 (builderId=…, sourceRef=…)`. */
export function describeRequirement(req: AttestationRequirement): string {
  const conds = [...PROVENANCE_CONDITIONS, ...VULN_CONDITIONS].filter((k) => req[k] !== undefined).map((k) => `${k}=${req[k]}`);
  return conds.length > 0 ? `${req.predicateType} (${conds.join(', ')})` : req.predicateType;
}

/** The requirements no verified statement meets, each with what the closest statements said. */
export function unmetRequirements(statements: readonly Attested[], reqs: readonly AttestationRequirement[], now = new Date()): string[] {
  const out: string[] = [];
  for (const req of reqs) {
    const candidates = statements.filter((s) => s.predicateType === req.predicateType);
    if (candidates.some((s) => requirementProblem(s, req, now) === undefined)) continue;
    const why = candidates.map((s) => requirementProblem(s, req, now)).filter((x): x is string => x !== undefined);
    out.push(`no verified ${describeRequirement(req)} attestation${why.length > 0 ? ` (${[...new Set(why)].join('; ')})` : ''}`);
  }
  return out;
}


/** The SBOM of the first verified SBOM attestation (a CycloneDX or SPDX JSON document), if any. */
export function attestedSbom(attestations: readonly Attested[]): { predicateType: string; document: Record<string, unknown> } | undefined {
  const a = attestations.find((x) => isSbomType(x.predicateType));
  return a ? { predicateType: a.predicateType, document: a.predicate } : undefined;
}
