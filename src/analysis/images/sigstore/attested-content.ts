/**
 * What verified attestations say about an image's content, for scans that trust them:
 * - SBOM attestations (cosign attest --type cyclonedx|spdxjson): the first verified one whose document reads as
 *   CycloneDX or SPDX is the image's package list, used instead of analysing its layers;
 * - vulnerability-scan attestations (cosign vuln/v1, sigstore/cosign specs/COSIGN_VULN_ATTESTATION_SPEC.md:
 *   `scanner {uri, version, db, result}`, `metadata {scanStartedOn, scanFinishedOn}`), summarised with the
 *   scanner and its date, flagged stale past a maximum age (Kyverno's sample policies gate on
 *   `time_since(metadata.scanFinishedOn)` and on the severities in `scanner.result`). The result is the scanner's
 *   own report: Trivy JSON (`trivy image --format cosign-vuln`: Results[].Vulnerabilities[].Severity) and Grype
 *   JSON (matches[].vulnerability.severity) are counted; other formats are listed without counts.
 */
import type { AttestationSigner, AttestedScan, ImageSource, Severity } from '../../../core/model.js';
import { SEVERITIES } from '../../../core/model.js';
import { isJsonMap } from '../../../core/json.js';
import { readSbom } from '../../vulns/sbom.js';
import type { SbomPackages } from '../../vulns/sbom.js';

/** A verified attestation with who signed it and where it was found. */
export type SignedAttestation = { predicateType: string; predicate: Record<string, unknown> } & { signer: AttestationSigner; origin: string };

/** Vulnerability-scan attestations older than this are stale by default (7 days, Kyverno's sample). */
export const DEFAULT_MAX_SCAN_AGE_MS = 7 * 24 * 3600_000;

/** SBOM attestations (cosign attest --type cyclonedx|spdxjson; in-toto predicate registry) and scan results. */
export const SBOM_PREDICATES: readonly string[] = ['https://cyclonedx.org/bom', 'https://spdx.dev/Document'];
export const VULN_PREDICATE = 'https://cosign.sigstore.dev/attestation/vuln/v1';
/** The vuln predicate type is written with and without its scheme (cosign's own policy tests use both). */
export const isVulnPredicate = (t: string) => t === VULN_PREDICATE || t === VULN_PREDICATE.replace(/^https:\/\//, '');

export const isSbomType = (t: string) => SBOM_PREDICATES.some((p) => t === p || t.startsWith(`${p}/`));

export type AttestedPackages = { ok: true; sbom: SbomPackages; source: ImageSource } | { ok: false; note: string };

/** The package list of the first verified SBOM attestation that reads, with the source the report names. */
export function attestedPackages(image: string, digest: string | undefined, attestations: readonly SignedAttestation[]): AttestedPackages {
  const sboms = attestations.filter((a) => isSbomType(a.predicateType));
  const problems: string[] = [];
  for (const a of sboms) {
    try {
      const sbom = readSbom(a.predicate);
      const source: ImageSource = { image, ...(digest && { digest }), packages: 'attestation', attestation: { predicateType: a.predicateType, origin: a.origin, signer: a.signer } };
      return { ok: true, sbom, source };
    } catch (e) {
      problems.push(`${a.origin}: ${e instanceof Error ? e.message.slice(0, 200) : 'unreadable'}`);
    }
  }
  return { ok: false, note: sboms.length === 0 ? 'no verified SBOM attestation' : `no verified SBOM attestation reads as CycloneDX or SPDX (${problems.join('; ')})` };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (isJsonMap(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Scanner severities (Trivy: UNKNOWN LOW MEDIUM HIGH CRITICAL; Grype: Negligible Low Medium High Critical). */
function severityOf(v: unknown): Severity | undefined {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  if (s === 'negligible') return 'info';
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : undefined;
}

/** Severities of the vulnerabilities in a scanner's result, when the result's format is known. */
function resultSeverities(result: unknown): (Severity | undefined)[] | undefined {
  const r = obj(result);
  if (Array.isArray(r.Results)) return r.Results.flatMap((x) => arr(obj(x).Vulnerabilities).map((v) => severityOf(obj(v).Severity)));
  if (Array.isArray(r.matches)) return r.matches.map((m) => severityOf(obj(obj(m).vulnerability).severity));
  return undefined;
}

/** The verified vulnerability-scan attestations, summarised; stale when older than maxAgeMs or undated. */
export function attestedScans(attestations: readonly SignedAttestation[], now: Date, maxAgeMs = DEFAULT_MAX_SCAN_AGE_MS): AttestedScan[] {
  return attestations.filter((a) => isVulnPredicate(a.predicateType)).map((a) => scanSummary(a, now, maxAgeMs));
}

export function scanSummary(a: SignedAttestation, now: Date, maxAgeMs = DEFAULT_MAX_SCAN_AGE_MS): AttestedScan {
  const scanner = obj(a.predicate.scanner);
  const db = obj(scanner.db);
  const finished = str(obj(a.predicate.metadata).scanFinishedOn);
  const at = finished !== undefined ? Date.parse(finished) : NaN;
  const severities = resultSeverities(scanner.result);
  const counts = severities && (Object.fromEntries(SEVERITIES.map((s) => [s, severities.filter((x) => x === s).length])) as Record<Severity, number>);
  const unknown = severities?.filter((x) => x === undefined).length ?? 0;
  const notes = [
    ...(Number.isNaN(at) ? [finished === undefined ? 'no scanFinishedOn date' : 'scanFinishedOn is not a date'] : []),
    ...(severities === undefined ? ['result format not known (Trivy or Grype JSON are counted)'] : []),
  ];
  return {
    origin: a.origin,
    signer: a.signer,
    scanner: {
      uri: str(scanner.uri) ?? 'unknown',
      ...(str(scanner.version) && { version: str(scanner.version) }),
      ...((str(db.uri) ?? str(db.version)) !== undefined && { db: { ...(str(db.uri) && { uri: str(db.uri) }), ...(str(db.version) && { version: str(db.version) }) } }),
    },
    ...(!Number.isNaN(at) && { finishedOn: new Date(at).toISOString() }),
    stale: Number.isNaN(at) || now.getTime() - at > maxAgeMs,
    ...(counts && { counts }),
    ...(unknown > 0 && { unknown }),
    ...(notes.length > 0 && { note: notes.join('; ') }),
  };
}

/** A one-line description: `pkg:github/aquasecurity/trivy 0.50.1 on 2026-12-01T…: 1 critical, 3 high (stale)`. */
export function describeScan(s: AttestedScan): string {
  const counts = s.counts ? [...SEVERITIES].reverse().filter((k) => s.counts![k] > 0).map((k) => `${s.counts![k]} ${k}`).join(', ') || 'no vulnerabilities' : 'vulnerabilities not counted';
  return `${s.scanner.uri}${s.scanner.version ? ` ${s.scanner.version}` : ''} on ${s.finishedOn ?? 'an unknown date'}: ${counts}${s.stale ? ' (stale)' : ''}`;
}

/** Who signed: the keyless identity and issuer, else the key's fingerprint. */
export function describeSigner(s: AttestationSigner): string {
  return s.identity !== undefined ? `${s.identity} (issuer ${s.issuer ?? 'unknown'})` : `key sha256:${s.keyId}`;
}

/** Where an image's package list came from, for a progress note. */
export function describePackageSource(s: ImageSource): string {
  if (s.packages !== 'attestation' || !s.attestation) return s.packages;
  return `the verified ${s.attestation.predicateType} attestation by ${describeSigner(s.attestation.signer)} (${s.attestation.origin})`;
}
