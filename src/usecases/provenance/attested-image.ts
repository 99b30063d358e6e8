/**
 * What a scan may take from an image's verified attestations instead of its layers (`image scan REF`,
 * `scan --images`): when a signer is named — `image scan`'s --key / --certificate-identity… flags (as `image verify`
 * has them), else the config's `admission.images.signature` policy for the image — the attestations attached to
 * the image's digest are verified for that signer (src/sources/images/cosign.ts); a verified CycloneDX/SPDX
 * attestation is the package list, and verified vulnerability-scan attestations are summarised with the scanner
 * and date. Without a signer, or when none verifies, the layers are analysed and the report says why.
 */
import { readFileSync } from 'node:fs';
import type { ImageSource } from '../../core/model.js';
import { UsageError, errorMessage } from '../../core/errors.js';
import { parseImageRef } from '../../core/image-ref.js';
import { attestedPackages, attestedScans } from '../../analysis/images/sigstore/attested-content.js';
import type { SignedAttestation } from '../../analysis/images/sigstore/attested-content.js';
import { requirementFor } from '../../analysis/images/sigstore/signature-policy.js';
import type { SignatureVerdict, SignerRequirement } from '../../analysis/images/sigstore/signature-policy.js';
import type { IdentityPolicy } from '../../analysis/images/sigstore/verify-bundle.js';
import type { SbomPackages } from '../../analysis/vulns/sbom.js';
import { requirementVerifier } from '../../sources/images/cosign.js';
import type { RegistryClient } from '../../sources/images/registry/client.js';
import { resolveSignatureSettings, signaturePolicies } from '../../sources/sigstore/signature-settings.js';
import type { SignatureSettings } from '../../sources/sigstore/signature-settings.js';
import { signerChoiceProblem } from './verify-image.js';

/** Where the package list comes from: auto (a verified attestation when a signer is named, else layers), or forced. */
export const SBOM_SOURCES = ['auto', 'layers', 'attestation'] as const;
export type SbomSource = (typeof SBOM_SOURCES)[number];

export interface SignerChoice {
  requirement: SignerRequirement;
  trustedRoot?: string;
  /** Where the choice came from, for notes: `--certificate-identity`, `admission.images.signature policy 2`. */
  from: string;
}

export interface SignerFlags {
  /** Public key files. */
  keys?: readonly string[];
  policy: IdentityPolicy;
  trustedRoot?: string;
}

const named = (p: IdentityPolicy) => [p.identity, p.identityRegExp, p.issuer, p.issuerRegExp].some((x) => x !== undefined);

/** The signer whose attestations a scan of `reference` trusts: the flags when given, else the config's policy. */
export function scanSigner(reference: string, flags: SignerFlags, settings?: SignatureSettings, configFile?: string): SignerChoice | undefined {
  const keys = flags.keys ?? [];
  if (keys.length > 0 || named(flags.policy)) {
    const problem = signerChoiceProblem(keys, flags.policy);
    if (problem) throw new UsageError(problem);
    const pems = keys.map((k) => readFileSync(k, 'utf8'));
    return { requirement: pems.length > 0 ? { keys: pems } : { policy: flags.policy }, trustedRoot: flags.trustedRoot, from: pems.length > 0 ? '--key' : '--certificate-identity' };
  }
  if (!settings) return undefined;
  const resolved = resolveSignatureSettings(settings, configFile);
  let ref;
  try {
    ref = parseImageRef(reference);
  } catch {
    return undefined;
  }
  const chosen = requirementFor(ref, undefined, { keys: resolved.keys, policies: signaturePolicies(resolved) });
  return chosen && { requirement: chosen.requirement, trustedRoot: flags.trustedRoot ?? resolved.trustedRoot, from: `admission.images.signature ${chosen.id}` };
}

export interface AttestedImage {
  /** The package list from a verified SBOM attestation, when one is used. */
  sbom?: SbomPackages;
  /** What the report says: packages from layers or the attestation (+ signer), and the attested scans. */
  source: ImageSource;
}

/** The attestations of a verdict, with signer and origin (the verifier always gives them). */
export function signedAttestations(v: SignatureVerdict): SignedAttestation[] {
  return (v.attestations ?? []).flatMap((a) => (a.signer && a.origin ? [{ predicateType: a.predicateType, predicate: a.predicate, signer: a.signer, origin: a.origin }] : []));
}

/** The image's content as its verified attestations state it (packages from layers when none is usable). */
export function attestedContent(image: string, verdict: SignatureVerdict | Error, now: Date): AttestedImage {
  if (verdict instanceof Error) return { source: { image, packages: 'layers', note: `attestations could not be verified: ${errorMessage(verdict)}` } };
  const attestations = signedAttestations(verdict);
  const scans = attestedScans(attestations, now);
  const withScans = (s: ImageSource): ImageSource => (scans.length > 0 ? { ...s, scans } : s);
  if (verdict.status === 'not-evaluated') return { source: withScans({ image, ...(verdict.digest && { digest: verdict.digest }), packages: 'layers', note: `attestations could not be evaluated: ${verdict.reason ?? 'no trust material'}` }) };
  const p = attestedPackages(image, verdict.digest, attestations);
  if (p.ok) return { sbom: p.sbom, source: withScans(p.source) };
  return { source: withScans({ image, ...(verdict.digest && { digest: verdict.digest }), packages: 'layers', note: p.note }) };
}

/** `image scan REF` with a signer: its attestations verified once, then attestedContent. */
export async function attestedImage(reference: string, signer: SignerChoice, o: { client: RegistryClient; now?: Date }): Promise<AttestedImage> {
  const verify = requirementVerifier({ client: o.client, trustedRoot: signer.trustedRoot });
  const verdict = await verify(reference, signer.requirement).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  return attestedContent(reference, verdict, o.now ?? new Date());
}
